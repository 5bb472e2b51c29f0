#include "backup/backend/s3_xml.h"

#include <gtest/gtest.h>

#include "backup/backend/xml_lite.h"

namespace failsafe::backup::s3 {
namespace {

const char kPage[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>backups</Name><Prefix>site/data/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <!-- a comment -->
  <Contents><Key>site/data/ab/ab01</Key><LastModified>2026-11-22T09:00:00.000Z</LastModified>
    <ETag>&quot;9e107d9d372bb6826bd81d3542a419d6&quot;</ETag><Size>1234</Size>
    <StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>site/data/ab/a&amp;b&#x4e2d;</Key><Size>0</Size></Contents>
  <NextContinuationToken>1/abc+def=</NextContinuationToken>
</ListBucketResult>)";

TEST(S3XmlTest, ParsesAListPage) {
  auto page = ParseListObjectsV2(kPage);
  ASSERT_TRUE(page) << page.error().ToString();
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "site/data/ab/ab01");
  EXPECT_EQ(page->objects[0].size, 1234u);
  EXPECT_EQ(page->objects[1].key, "site/data/ab/a&b\xe4\xb8\xad");
  EXPECT_EQ(page->objects[1].size, 0u);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_token, "1/abc+def=");
}

TEST(S3XmlTest, LastPageAndEmptyBucket) {
  auto page = ParseListObjectsV2(
      "<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount>"
      "</ListBucketResult>");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->objects.empty());
  EXPECT_FALSE(page->truncated);
}

std::string ErrorOf(std::string_view body) {
  auto page = ParseListObjectsV2(body);
  EXPECT_FALSE(page) << body;
  return page ? "" : page.error().message();
}

TEST(S3XmlTest, BadPagesNameWhatIsWrong) {
  EXPECT_NE(ErrorOf("<Other/>").find("<Other>"), std::string::npos);
  EXPECT_NE(ErrorOf("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>")
                .find("Contents #1 has no Key"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents>"
                    "</ListBucketResult>")
                .find("Size \"-1\""),
            std::string::npos);
  EXPECT_NE(ErrorOf("<ListBucketResult><Contents><Key>k</Key><Size>99999999999999999999</Size>"
                    "</Contents></ListBucketResult>")
                .find("not a number"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")
                .find("no NextContinuationToken"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>")
                .find("IsTruncated"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<ListBucketResult>\n  <Name>x</Nam>").find("XML 2:"), std::string::npos);
}

TEST(S3XmlTest, XmlReaderRefusesWhatItShouldNot) {
  for (std::string_view bad :
       {"", "text", "<a>", "<a></b>", "<a>&unknown;</a>", "<a>&#0;</a>", "<a>&#xD800;</a>",
        "<a>&#x110000;</a>", "<a b=c/>", "<a b='<'/>", "<!DOCTYPE a [<!ENTITY x 'y'>]><a/>",
        "<a/><b/>", "<a><!-- never closed</a>", "<a><![CDATA[x</a>", "<a>&amp</a>"}) {
    auto r = xml::Parse(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_NE(r.error().message().find("XML "), std::string::npos) << bad;
    }
  }
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  auto r = xml::Parse(deep);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("deeper than 32"), std::string::npos);
  auto ok = xml::Parse("<a x='1' y=\"2\"><![CDATA[<raw>]]><b/>t</a>");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->text, "<raw>t");
  EXPECT_EQ(ok->children.size(), 1u);
}

TEST(S3XmlTest, ErrorBodies) {
  auto e = ParseErrorBody(
      "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
      "<RequestId>1</RequestId></Error>");
  EXPECT_EQ(e.code, "AccessDenied");
  EXPECT_EQ(e.message, "Access Denied");
  EXPECT_EQ(ParseErrorBody("<html>bad gateway</html>").code, "");
  EXPECT_EQ(ParseErrorBody("").code, "");
}

}  // namespace
}  // namespace failsafe::backup::s3
