// The host collector's per-device parts: network interfaces (/proc/net/dev), disks
// (/proc/diskstats) and mounted filesystems (/proc/1/mounts and statvfs).
#include <re2/re2.h>
#include <sys/statvfs.h>

#include <charconv>
#include <set>

#include "watch/metrics/host_collector_parts.h"

namespace failsafe::watch::host {
namespace {

// /proc/mounts writes space, tab, newline and backslash in paths as \040-style octal.
std::string UnescapeMountField(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3') {
      int v = 0;
      auto [end, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 4, v, 8);
      if (ec == std::errc() && end == s.data() + i + 4) {
        out += static_cast<char>(v);
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

}  // namespace

std::string CollectNetDev(const HostCollectorOptions& o, std::vector<ParsedSample>& out) {
  std::string text;
  const std::string path = o.proc_root + "/net/dev";
  if (!ReadProcFile(path, &text)) return "cannot read " + path;
  static constexpr const char* kFields[] = {
      "receive_bytes",  "receive_packets",  "receive_errs",       "receive_drop",
      "receive_fifo",   "receive_frame",    "receive_compressed", "receive_multicast",
      "transmit_bytes", "transmit_packets", "transmit_errs",      "transmit_drop",
      "transmit_fifo",  "transmit_colls",   "transmit_carrier",   "transmit_compressed"};
  auto lines = Lines(text);
  for (size_t i = 2; i < lines.size(); ++i) {  // two header lines
    const size_t colon = lines[i].find(':');
    if (colon == std::string_view::npos) continue;
    auto name = Fields(lines[i].substr(0, colon));
    auto f = Fields(lines[i].substr(colon + 1));
    if (name.size() != 1 || f.size() < std::size(kFields)) continue;
    const std::string device(name[0]);
    for (size_t k = 0; k < std::size(kFields); ++k) {
      double v = 0;
      if (ToDouble(f[k], &v)) {
        Add(out, "node_network_" + std::string(kFields[k]) + "_total", v, {{"device", device}});
      }
    }
  }
  return "";
}

std::string CollectDiskstats(const HostCollectorOptions& o, std::vector<ParsedSample>& out) {
  std::string text;
  const std::string path = o.proc_root + "/diskstats";
  if (!ReadProcFile(path, &text)) return "cannot read " + path;
  const RE2 ignore(o.disk_ignore);
  struct Field {
    const char* name;
    double scale;  // sectors are 512 bytes, times are milliseconds
  };
  static constexpr Field kFields[] = {{"reads_completed_total", 1},
                                      {"reads_merged_total", 1},
                                      {"read_bytes_total", 512},
                                      {"read_time_seconds_total", 0.001},
                                      {"writes_completed_total", 1},
                                      {"writes_merged_total", 1},
                                      {"written_bytes_total", 512},
                                      {"write_time_seconds_total", 0.001},
                                      {"io_now", 1},
                                      {"io_time_seconds_total", 0.001},
                                      {"io_time_weighted_seconds_total", 0.001},
                                      {"discards_completed_total", 1},
                                      {"discards_merged_total", 1},
                                      {"discarded_sectors_total", 1},
                                      {"discard_time_seconds_total", 0.001},
                                      {"flush_requests_total", 1},
                                      {"flush_requests_time_seconds_total", 0.001}};
  for (std::string_view line : Lines(text)) {
    auto f = Fields(line);
    if (f.size() < 14) continue;
    const std::string device(f[2]);
    if (ignore.ok() && RE2::PartialMatch(device, ignore)) continue;
    for (size_t k = 0; k < std::size(kFields) && k + 3 < f.size(); ++k) {
      double v = 0;
      if (ToDouble(f[k + 3], &v)) {
        Add(out, "node_disk_" + std::string(kFields[k].name), v * kFields[k].scale,
            {{"device", device}});
      }
    }
  }
  return "";
}

std::string CollectFilesystems(const HostCollectorOptions& o, std::vector<ParsedSample>& out) {
  std::string text;
  std::string path = o.proc_root + "/1/mounts";  // the host's view, as node_exporter reads it
  if (!ReadProcFile(path, &text)) {
    path = o.proc_root + "/mounts";
    if (!ReadProcFile(path, &text)) return "cannot read " + path;
  }
  const RE2 type_ignore(o.fs_type_ignore), mount_ignore(o.mount_ignore);
  std::set<std::pair<std::string, std::string>> seen;
  for (std::string_view line : Lines(text)) {
    auto f = Fields(line);
    if (f.size() < 4) continue;
    const std::string device = UnescapeMountField(f[0]);
    const std::string mountpoint = UnescapeMountField(f[1]);
    const std::string fstype(f[2]);
    if (type_ignore.ok() && RE2::PartialMatch(fstype, type_ignore)) continue;
    if (mount_ignore.ok() && RE2::PartialMatch(mountpoint, mount_ignore)) continue;
    if (!seen.emplace(device, mountpoint).second) continue;
    const std::vector<Label> labels = {
        {"device", device}, {"fstype", fstype}, {"mountpoint", mountpoint}};
    struct statvfs st {};
    if (statvfs(mountpoint.c_str(), &st) != 0) {
      Add(out, "node_filesystem_device_error", 1, labels);
      continue;
    }
    const double frag = static_cast<double>(st.f_frsize);
    const bool read_only = (st.f_flag & ST_RDONLY) != 0;
    Add(out, "node_filesystem_size_bytes", static_cast<double>(st.f_blocks) * frag, labels);
    Add(out, "node_filesystem_free_bytes", static_cast<double>(st.f_bfree) * frag, labels);
    Add(out, "node_filesystem_avail_bytes", static_cast<double>(st.f_bavail) * frag, labels);
    Add(out, "node_filesystem_files", static_cast<double>(st.f_files), labels);
    Add(out, "node_filesystem_files_free", static_cast<double>(st.f_ffree), labels);
    Add(out, "node_filesystem_readonly", read_only ? 1 : 0, labels);
    Add(out, "node_filesystem_device_error", 0, labels);
  }
  return "";
}

}  // namespace failsafe::watch::host
