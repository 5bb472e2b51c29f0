// The host collector (host_collector.h): runs the parts, and the CPU, memory, paging, load
// and open-file parts, which each read one small /proc file.
#include "watch/metrics/host_collector.h"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "watch/metrics/host_collector_parts.h"

namespace failsafe::watch {
namespace host {

bool ToDouble(std::string_view text, double* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

bool ReadProcFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  *out = std::move(buf).str();
  return true;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

void Add(std::vector<ParsedSample>& out, std::string_view name, double value,
         std::vector<Label> labels) {
  labels.push_back({std::string(kMetricNameLabel), std::string(name)});
  auto made = MakeLabels(std::move(labels));
  if (!made) return;  // names here are ours and valid; a kernel device name is just a value
  out.push_back({std::move(*made), value, std::nullopt});
}

std::string CollectCpu(const HostCollectorOptions& o, std::vector<ParsedSample>& out) {
  std::string text;
  const std::string path = o.proc_root + "/stat";
  if (!ReadProcFile(path, &text)) return "cannot read " + path;
  const double hz = o.clock_ticks_per_second > 0 ? double(o.clock_ticks_per_second)
                                                 : double(sysconf(_SC_CLK_TCK));
  static constexpr const char* kModes[] = {"user",   "nice", "system",  "idle",
                                           "iowait", "irq",  "softirq", "steal"};
  static constexpr std::pair<const char*, const char*> kCounters[] = {
      {"ctxt", "node_context_switches_total"}, {"btime", "node_boot_time_seconds"},
      {"processes", "node_forks_total"},       {"procs_running", "node_procs_running"},
      {"procs_blocked", "node_procs_blocked"}, {"intr", "node_intr_total"}};
  size_t cpus = 0;
  for (std::string_view line : Lines(text)) {
    auto f = Fields(line);
    if (f.size() < 2) continue;
    if (f[0].size() > 3 && f[0].starts_with("cpu")) {
      const std::string cpu(f[0].substr(3));
      ++cpus;
      for (size_t m = 0; m < std::size(kModes) && m + 1 < f.size(); ++m) {
        double ticks = 0;
        if (ToDouble(f[m + 1], &ticks)) {
          Add(out, "node_cpu_seconds_total", ticks / hz, {{"cpu", cpu}, {"mode", kModes[m]}});
        }
      }
      static constexpr const char* kGuestModes[] = {"user", "nice"};
      for (size_t g = 0; g < 2 && 9 + g < f.size(); ++g) {
        double ticks = 0;
        if (ToDouble(f[9 + g], &ticks)) {
          Add(out, "node_cpu_guest_seconds_total", ticks / hz,
              {{"cpu", cpu}, {"mode", kGuestModes[g]}});
        }
      }
      continue;
    }
    for (const auto& [key, name] : kCounters) {
      double v = 0;
      if (f[0] == key && ToDouble(f[1], &v)) Add(out, name, v);
    }
  }
  return cpus == 0 ? "no per-CPU lines in " + path : "";
}

std::string CollectMemory(const HostCollectorOptions& o, std::vector<ParsedSample>& out) {
  std::string text;
  const std::string path = o.proc_root + "/meminfo";
  if (!ReadProcFile(path, &text)) return "cannot read " + path;
  size_t n = 0;
  for (std::string_view line : Lines(text)) {
    auto f = Fields(line);
    if (f.size() < 2 || !f[0].ends_with(':')) continue;
    // "Active(anon):" becomes node_memory_Active_anon_bytes, as in node_exporter.
    std::string key;
    for (char c : f[0].substr(0, f[0].size() - 1)) {
      if (c == '(')
        key += '_';
      else if (c != ')')
        key += c;
    }
    double v = 0;
    if (!ToDouble(f[1], &v) || !IsValidMetricName(key)) continue;
    const bool kib = f.size() > 2 && f[2] == "kB";
    Add(out, "node_memory_" + key + (kib ? "_bytes" : ""), kib ? v * 1024 : v);
    ++n;
  }
  return n == 0 ? "no values in " + path : "";
}

std::string CollectVmstat(const HostCollectorOptions& o, std::vector<ParsedSample>& out) {
  std::string text;
  const std::string path = o.proc_root + "/vmstat";
  if (!ReadProcFile(path, &text)) return "cannot read " + path;
  for (std::string_view line : Lines(text)) {
    auto f = Fields(line);
    double v = 0;
    if (f.size() != 2 || !ToDouble(f[1], &v)) continue;
    // node_exporter's default field set: paging, swapping, faults, OOM kills.
    const std::string_view k = f[0];
    const bool wanted = k == "oom_kill" || k.starts_with("pgpg") || k.starts_with("pswp") ||
                        (k.starts_with("pg") && k.find("fault") != std::string_view::npos);
    if (wanted) Add(out, "node_vmstat_" + std::string(k), v);
  }
  return "";
}

std::string CollectLoad(const HostCollectorOptions& o, std::vector<ParsedSample>& out) {
  std::string text;
  const std::string path = o.proc_root + "/loadavg";
  if (!ReadProcFile(path, &text)) return "cannot read " + path;
  auto f = Fields(std::string_view(text).substr(0, text.find('\n')));
  static constexpr const char* kNames[] = {"node_load1", "node_load5", "node_load15"};
  for (size_t i = 0; i < 3; ++i) {
    double v = 0;
    if (i >= f.size() || !ToDouble(f[i], &v)) return "malformed " + path;
    Add(out, kNames[i], v);
  }
  return "";
}

std::string CollectFileFd(const HostCollectorOptions& o, std::vector<ParsedSample>& out) {
  std::string text;
  const std::string path = o.proc_root + "/sys/fs/file-nr";
  if (!ReadProcFile(path, &text)) return "cannot read " + path;
  auto f = Fields(std::string_view(text).substr(0, text.find('\n')));
  double allocated = 0, maximum = 0;
  if (f.size() != 3 || !ToDouble(f[0], &allocated) || !ToDouble(f[2], &maximum)) {
    return "malformed " + path;
  }
  Add(out, "node_filefd_allocated", allocated);
  Add(out, "node_filefd_maximum", maximum);
  return "";
}

}  // namespace host

HostCollector::HostCollector(HostCollectorOptions options) : options_(std::move(options)) {}

std::vector<ParsedSample> HostCollector::Collect() {
  using Part = std::string (*)(const HostCollectorOptions&, std::vector<ParsedSample>&);
  static constexpr std::pair<const char*, Part> kParts[] = {
      {"cpu", host::CollectCpu},
      {"meminfo", host::CollectMemory},
      {"vmstat", host::CollectVmstat},
      {"loadavg", host::CollectLoad},
      {"filefd", host::CollectFileFd},
      {"netdev", host::CollectNetDev},
      {"diskstats", host::CollectDiskstats},
      {"filesystem", host::CollectFilesystems},
  };
  std::vector<ParsedSample> out;
  errors_.clear();
  for (const auto& [name, part] : kParts) {
    std::string error = part(options_, out);
    host::Add(out, "node_scrape_collector_success", error.empty() ? 1 : 0, {{"collector", name}});
    if (!error.empty()) errors_.push_back(std::string(name) + ": " + error);
  }
  return out;
}

}  // namespace failsafe::watch
