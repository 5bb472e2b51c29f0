#pragma once
// The host collector: reads /proc (and statvfs for mounted filesystems) and produces samples
// named as node_exporter names them, in its units (seconds, bytes), so one machine is watched
// with nothing else installed and the same rules work on node_exporter data.
// Covered: CPU, memory and swap, vmstat paging, load, open files, filesystems, disk I/O,
// network. The /proc root is a parameter so tests run on a fixture tree.
#include <string>
#include <vector>

#include "watch/metrics/exposition.h"

namespace failsafe::watch {

struct HostCollectorOptions {
  std::string proc_root = "/proc";
  // Disk devices left out of node_disk_* (node_exporter's default: partitions, loop and RAM
  // disks, whose I/O their parent disk already counts).
  std::string disk_ignore = R"(^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$)";
  // Filesystem types and mount points that are not real storage (node_exporter's defaults).
  std::string fs_type_ignore =
      "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|"
      "iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|"
      "sysfs|tracefs)$";
  std::string mount_ignore =
      "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
  // USER_HZ, the unit of /proc/stat CPU times; 0: ask sysconf(_SC_CLK_TCK).
  long clock_ticks_per_second = 0;
};

class HostCollector {
 public:
  explicit HostCollector(HostCollectorOptions options = {});

  // One pass. Samples carry no timestamp (the caller stamps them) and no job/instance labels.
  // Each part also reports node_scrape_collector_success{collector="cpu"|...} as
  // node_exporter does, 0 when its file was missing or unreadable; errors() says why.
  std::vector<ParsedSample> Collect();
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  HostCollectorOptions options_;
  std::vector<std::string> errors_;
};

}  // namespace failsafe::watch
