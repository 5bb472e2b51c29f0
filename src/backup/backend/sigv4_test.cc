// Signature V4 against the worked examples AWS publishes for S3 ("Signature Calculations for
// the Authorization Header": GET Object with a Range, PUT Object, GET Bucket Lifecycle, GET
// Bucket (List Objects)). All use the documentation's example key pair, region us-east-1 and
// the time 20130524T000000Z.
#include "backup/backend/sigv4.h"

#include <gtest/gtest.h>

#include "base/encoding.h"

namespace failsafe::backup::sigv4 {
namespace {

const Credentials kCredentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
const Scope kScope{"20130524", "us-east-1", "s3"};
const char kDate[] = "20130524T000000Z";
const char kEmptySha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const char kHost[] = "examplebucket.s3.amazonaws.com";

Request BodylessGet(std::string path, Pairs query) {
  Request r;
  r.method = "GET";
  r.path = std::move(path);
  r.query = std::move(query);
  r.headers = {{"Host", kHost}, {"x-amz-date", kDate}, {"x-amz-content-sha256", kEmptySha}};
  r.payload_sha256 = kEmptySha;
  return r;
}

TEST(SigV4Test, GetObjectWithRange) {
  Request r = BodylessGet("/test.txt", {});
  r.headers.emplace_back("Range", "bytes=0-9");
  EXPECT_EQ(CanonicalRequest(r),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:" +
                std::string(kEmptySha) + "\nx-amz-date:20130524T000000Z\n\n" +
                "host;range;x-amz-content-sha256;x-amz-date\n" + kEmptySha);
  EXPECT_EQ(StringToSign(kDate, kScope, CanonicalRequest(r)),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(Authorization(r, kCredentials, kDate, kScope),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, PutObjectEncodesThePathOnce) {
  Request r;
  r.method = "PUT";
  r.path = "/test$file.text";
  r.payload_sha256 = Sha256Hex("Welcome to Amazon S3.");
  EXPECT_EQ(r.payload_sha256, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  r.headers = {{"Host", kHost},
               {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
               {"x-amz-date", kDate},
               {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
               {"x-amz-content-sha256", r.payload_sha256}};
  EXPECT_NE(CanonicalRequest(r).find("PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013"),
            std::string::npos);
  EXPECT_EQ(StringToSign(kDate, kScope, CanonicalRequest(r)).substr(69),
            "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  EXPECT_EQ(Authorization(r, kCredentials, kDate, kScope),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4Test, QueryWithAnEmptyValue) {
  Request r = BodylessGet("/", {{"lifecycle", ""}});
  EXPECT_EQ(CanonicalQuery(r.query), "lifecycle=");
  EXPECT_EQ(Authorization(r, kCredentials, kDate, kScope).substr(135),
            "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4Test, QueryIsSortedByName) {
  Request r = BodylessGet("/", {{"prefix", "J"}, {"max-keys", "2"}});
  EXPECT_EQ(CanonicalQuery(r.query), "max-keys=2&prefix=J");
  EXPECT_EQ(StringToSign(kDate, kScope, CanonicalRequest(r)).substr(69),
            "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7");
  EXPECT_NE(Authorization(r, kCredentials, kDate, kScope)
                .find("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
            std::string::npos);
}

TEST(SigV4Test, EncodingAndDates) {
  EXPECT_EQ(UriEncode("a b/c~d=e+f", true), "a%20b/c~d%3De%2Bf");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
  EXPECT_EQ(CanonicalQuery({{"continuation-token", "1/x+y="}, {"list-type", "2"}}),
            "continuation-token=1%2Fx%2By%3D&list-type=2");
  EXPECT_EQ(AmzDate(std::chrono::system_clock::from_time_t(1369353600)), "20130524T000000Z");
  // The signing key's derivation, spelled out in the spec's terms.
  EXPECT_EQ(
      SigningKey(kCredentials.secret_access_key, kScope),
      HmacSha256(
          HmacSha256(HmacSha256(HmacSha256("AWS4" + kCredentials.secret_access_key, "20130524"),
                                "us-east-1"),
                     "s3"),
          "aws4_request"));
}

}  // namespace
}  // namespace failsafe::backup::sigv4
