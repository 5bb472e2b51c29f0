#include "watch/probes/probe_config.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "watch/probes/dns_probe.h"
#include "watch/probes/host_port.h"
#include "watch/probes/step_values.h"
#include "watch/probes/yaml_fields.h"

namespace failsafe::watch::probes {
namespace {

using std::chrono::milliseconds;

// Labels every probe sample carries; user labels may not shadow them.
const std::set<std::string> kReservedLabels = {"probe", "instance", "service", "phase", "step"};

bool IsLabelName(const std::string& s) {
  if (s.empty() || s.starts_with("__")) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsProbeName(const std::string& s) {
  return !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

std::vector<Regex> Regexes(YamlFields& f, const std::string& key) {
  std::vector<Regex> out;
  const std::vector<std::string> patterns = f.Strings(key);
  for (size_t i = 0; i < patterns.size(); ++i) {
    auto re = CompileRegex(patterns[i], f.Path(key) + "[" + std::to_string(i) + "]");
    if (!re) {
      f.Fail(key, re.error().message() + " in pattern " + std::to_string(i));
      return {};
    }
    out.push_back(*re);
  }
  return out;
}

IpProtocol ReadIpProtocol(YamlFields& f) {
  const std::string v = f.String("ip_protocol", false, "any");
  if (v == "ip4") return IpProtocol::kIp4;
  if (v == "ip6") return IpProtocol::kIp6;
  if (v != "any") f.Fail("ip_protocol", "expected ip4, ip6 or any");
  return IpProtocol::kAny;
}

TlsOptions ReadTls(YamlFields& f) {
  TlsOptions tls;
  YAML::Node node = f.Node("tls_config");
  if (!node.IsDefined()) return tls;
  YamlFields t(f.file(), node, f.Path("tls_config"));
  tls.insecure_skip_verify = t.Bool("insecure_skip_verify", false);
  tls.ca_file = t.String("ca_file");
  tls.server_name = t.String("server_name");
  f.Adopt(t.Finish());
  return tls;
}

bool IsHttpUrl(const std::string& url) {
  return (url.starts_with("http://") && url.size() > 7) ||
         (url.starts_with("https://") && url.size() > 8);
}

// The request fields shared by `http` probes and each step of `http_steps`.
HttpRequestSpec ReadRequest(YamlFields& f) {
  HttpRequestSpec r;
  r.url = f.String("url", true);
  if (!f.failed() && !IsHttpUrl(r.url) && r.url.find("{{") != 0)
    f.Fail("url", "expected an http:// or https:// URL");
  r.method = f.String("method", false, "GET");
  static const std::set<std::string> kMethods = {"GET",   "HEAD",   "POST",   "PUT",
                                                 "PATCH", "DELETE", "OPTIONS"};
  if (!kMethods.contains(r.method))
    f.Fail("method", "expected GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS");
  r.headers = f.StringMap("headers");
  r.body = f.String("body");
  r.valid_status_codes = f.Ints("valid_status_codes", 100, 599);
  r.body_must_match = Regexes(f, "body_must_match");
  r.body_must_not_match = Regexes(f, "body_must_not_match");
  r.follow_redirects = f.Bool("follow_redirects", true);
  r.max_redirects = f.Int("max_redirects", 10, 0, 50);
  r.fail_if_not_ssl = f.Bool("fail_if_not_ssl", false);
  r.ip_protocol = ReadIpProtocol(f);
  r.tls = ReadTls(f);
  return r;
}

void ReadTcp(YamlFields& f, TcpSpec& tcp) {
  tcp.target = f.String("target", true);
  if (!f.failed()) {
    if (auto hp = ParseHostPort(tcp.target, f.Path("target")); !hp)
      f.Fail("target", hp.error().message());
  }
  tcp.tls = f.Bool("tls", false);
  tcp.tls_options = ReadTls(f);
  tcp.send = f.String("send");
  if (f.Has("expect")) {
    auto re = CompileRegex(f.String("expect"), f.Path("expect"));
    if (re)
      tcp.expect = *re;
    else
      f.Fail("expect", re.error().message());
  } else {
    f.Node("expect");
  }
  tcp.ip_protocol = ReadIpProtocol(f);
}

void ReadDns(YamlFields& f, DnsSpec& dns) {
  dns.query_name = f.String("query_name", true);
  dns.record_type = f.String("record_type", false, "A");
  if (!IsSupportedRecordType(dns.record_type))
    f.Fail("record_type", "expected A, AAAA, MX, NS or TXT");
  dns.server = f.String("server");
  if (!dns.server.empty() && dns.server.find(':') == std::string::npos) dns.server += ":53";
  if (!dns.server.empty()) {
    if (auto hp = ParseHostPort(dns.server, f.Path("server")); !hp)
      f.Fail("server", hp.error().message());
  }
  dns.answer_must_match = Regexes(f, "answer_must_match");
  dns.fail_if_no_answer = f.Bool("fail_if_no_answer", true);
}

Extraction ReadExtraction(const std::string& file, const YAML::Node& node, const std::string& path,
                          Status& error) {
  Extraction e;
  YamlFields f(file, node, path);
  e.name = f.String("name", true);
  int sources = 0;
  if (f.Has("json_pointer")) {
    e.from = Extraction::From::kJsonPointer, e.expression = f.String("json_pointer"), ++sources;
    if (!e.expression.empty() && e.expression[0] != '/')
      f.Fail("json_pointer", "a JSON pointer starts with /");
  }
  if (f.Has("regex")) {
    e.from = Extraction::From::kRegex, e.expression = f.String("regex"), ++sources;
    auto re = CompileRegex(e.expression, f.Path("regex"));
    if (!re)
      f.Fail("regex", re.error().message());
    else if ((*re)->NumberOfCapturingGroups() < 1)
      f.Fail("regex", "needs a capture group: the value is its first one");
    else
      e.regex = *re;
  }
  if (f.Has("header"))
    e.from = Extraction::From::kHeader, e.expression = f.String("header"), ++sources;
  f.Node("json_pointer"), f.Node("regex"), f.Node("header");
  if (!f.failed() && sources != 1)
    f.FailAt(node, path, "give exactly one of json_pointer, regex, header");
  if (!f.failed() && !IsLabelName(e.name))
    f.Fail("name", "expected a name like [A-Za-z_][A-Za-z0-9_]*");
  error = f.Finish();
  return e;
}

// Every {{name}} must come from an earlier step's extract.
void CheckReferences(YamlFields& f, const std::string& key, const std::string& text,
                     const std::set<std::string>& known) {
  auto names = ReferencedNames(text, f.Path(key));
  if (!names) return f.Fail(key, names.error().message());
  for (const auto& n : *names) {
    if (!known.contains(n)) return f.Fail(key, "{{" + n + "}} is not extracted by an earlier step");
  }
}

void ReadSteps(YamlFields& f, std::vector<HttpStep>& steps) {
  YAML::Node list = f.Node("steps");
  if (!list.IsDefined() || !list.IsSequence() || list.size() == 0)
    return f.Fail("steps", "expected a list of at least one step");
  std::set<std::string> known;
  std::set<std::string> step_names;
  for (size_t i = 0; i < list.size() && !f.failed(); ++i) {
    const std::string path = f.Path("steps") + "[" + std::to_string(i) + "]";
    YamlFields s(f.file(), list[i], path);
    HttpStep step;
    step.name = s.String("name", true);
    if (!s.failed() && !step_names.insert(step.name).second) s.Fail("name", "duplicate step name");
    step.request = ReadRequest(s);
    CheckReferences(s, "url", step.request.url, known);
    CheckReferences(s, "body", step.request.body, known);
    for (const auto& [name, value] : step.request.headers)
      CheckReferences(s, "headers", value, known);
    YAML::Node extract = s.Node("extract");
    if (extract.IsDefined() && !extract.IsSequence()) s.Fail("extract", "expected a list");
    for (size_t k = 0; extract.IsSequence() && k < extract.size() && !s.failed(); ++k) {
      Status st;
      Extraction e = ReadExtraction(f.file(), extract[k],
                                    s.Path("extract") + "[" + std::to_string(k) + "]", st);
      if (!st.ok()) return f.Adopt(st);
      step.extract.push_back(e);
    }
    if (Status st = s.Finish(); !st.ok()) return f.Adopt(st);
    for (const auto& e : step.extract) known.insert(e.name);
    steps.push_back(std::move(step));
  }
}

Result<ProbeSpec> ReadProbe(const std::string& file, const YAML::Node& node,
                            const std::string& path) {
  YamlFields f(file, node, path);
  ProbeSpec p;
  p.name = f.String("name", true);
  if (!f.failed() && !IsProbeName(p.name))
    f.Fail("name", "expected letters, digits, '-', '_' or '.'");
  const std::string type = f.String("type", true);
  if (type == "http")
    p.type = ProbeType::kHttp;
  else if (type == "tcp")
    p.type = ProbeType::kTcp;
  else if (type == "dns")
    p.type = ProbeType::kDns;
  else if (type == "http_steps")
    p.type = ProbeType::kHttpSteps;
  else if (!f.failed())
    f.Fail("type", "expected http, tcp, dns or http_steps");
  p.interval = f.Duration("interval", p.interval);
  p.timeout = f.Duration("timeout", std::min(p.timeout, p.interval));
  if (!f.failed() && p.timeout > p.interval)
    f.Fail("timeout", "must not be longer than the interval");
  p.retries = f.Int("retries", 0, 0, 10);
  p.retry_delay = f.Duration("retry_delay", p.retry_delay);
  p.service = f.String("service");
  p.labels = f.StringMap("labels");
  for (const auto& [name, value] : p.labels) {
    if (!IsLabelName(name))
      f.Fail("labels", "\"" + name + "\" is not a label name");
    else if (kReservedLabels.contains(name))
      f.Fail("labels", "\"" + name + "\" is set by the probe itself");
  }
  if (!f.failed()) {
    switch (p.type) {
      case ProbeType::kHttp: p.http = ReadRequest(f); break;
      case ProbeType::kTcp: ReadTcp(f, p.tcp); break;
      case ProbeType::kDns: ReadDns(f, p.dns); break;
      case ProbeType::kHttpSteps: ReadSteps(f, p.steps); break;
    }
  }
  if (Status st = f.Finish(); !st.ok()) return Err(st);
  return p;
}

}  // namespace

Result<std::vector<ProbeSpec>> ParseProbeConfig(std::string_view yaml_text,
                                                const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Err(InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                               std::to_string(e.mark.column + 1) + ": " + e.msg));
  }
  std::vector<ProbeSpec> probes;
  if (!root.IsDefined() || root.IsNull()) return probes;
  try {
    YamlFields top(file, root, "");
    YAML::Node list = top.Node("probes");
    if (list.IsDefined() && !list.IsSequence()) top.Fail("probes", "expected a list of probes");
    if (Status st = top.Finish(); !st.ok()) return Err(st);
    if (!list.IsDefined()) return probes;
    if (list.size() > kMaxProbesPerFile)
      return Err(YamlError(file, list, "probes",
                           "more than " + std::to_string(kMaxProbesPerFile) + " probes"));
    std::set<std::string> names;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string path = "probes[" + std::to_string(i) + "]";
      FS_ASSIGN_OR_RETURN(ProbeSpec p, ReadProbe(file, list[i], path));
      if (!names.insert(p.name).second)
        return Err(YamlError(file, list[i]["name"], path + ".name",
                             "duplicate probe name \"" + p.name + "\""));
      probes.push_back(std::move(p));
    }
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on some odd nodes (aliases into themselves); still a positioned error.
    return Err(InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                               std::to_string(e.mark.column + 1) + ": " + e.msg));
  }
  return probes;
}

}  // namespace failsafe::watch::probes
