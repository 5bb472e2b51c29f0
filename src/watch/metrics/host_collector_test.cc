#include "watch/metrics/host_collector.h"

#include <gtest/gtest.h>
#include <sys/statvfs.h>

#include <map>

namespace failsafe::watch {
namespace {

const std::string kFixture = std::string(FAILSAFE_METRICS_TESTDATA) + "/proc";

// "name{a=\"1\"}" -> value, for exact lookups.
std::map<std::string, double> ByName(const std::vector<ParsedSample>& samples) {
  std::map<std::string, double> out;
  for (const ParsedSample& s : samples) {
    EXPECT_TRUE(out.emplace(FormatLabels(s.labels), s.value).second)
        << "duplicate series " << FormatLabels(s.labels);
  }
  return out;
}

std::map<std::string, double> CollectFixture() {
  HostCollector c({.proc_root = kFixture, .clock_ticks_per_second = 100});
  auto samples = c.Collect();
  EXPECT_TRUE(c.errors().empty()) << c.errors().front();
  return ByName(samples);
}

TEST(HostCollector, CpuInNodeExporterNamesAndSeconds) {
  auto m = CollectFixture();
  EXPECT_DOUBLE_EQ(m.at("node_cpu_seconds_total{cpu=\"0\", mode=\"user\"}"), 16823.08);
  EXPECT_DOUBLE_EQ(m.at("node_cpu_seconds_total{cpu=\"1\", mode=\"idle\"}"), 4666.37);
  EXPECT_DOUBLE_EQ(m.at("node_cpu_seconds_total{cpu=\"1\", mode=\"steal\"}"), 14.11);
  EXPECT_DOUBLE_EQ(m.at("node_cpu_guest_seconds_total{cpu=\"0\", mode=\"nice\"}"), 0.2);
  EXPECT_EQ(m.count("node_cpu_seconds_total{cpu=\"\", mode=\"user\"}"), 0u);  // aggregate line
  EXPECT_EQ(m.at("node_context_switches_total"), 862441826);
  EXPECT_EQ(m.at("node_boot_time_seconds"), 1763769600);
  EXPECT_EQ(m.at("node_forks_total"), 1340281);
  EXPECT_EQ(m.at("node_procs_running"), 3);
  EXPECT_EQ(m.at("node_intr_total"), 463474914);
}

TEST(HostCollector, MemorySwapPagingLoadAndFiles) {
  auto m = CollectFixture();
  EXPECT_EQ(m.at("node_memory_MemTotal_bytes"), 24683656.0 * 1024);
  EXPECT_EQ(m.at("node_memory_MemAvailable_bytes"), 14568344.0 * 1024);
  EXPECT_EQ(m.at("node_memory_SwapFree_bytes"), 2000000.0 * 1024);
  EXPECT_EQ(m.at("node_memory_Active_anon_bytes"), 456789.0 * 1024);
  EXPECT_EQ(m.at("node_memory_HugePages_Total"), 0);
  EXPECT_EQ(m.at("node_vmstat_pswpout"), 9);
  EXPECT_EQ(m.at("node_vmstat_pgmajfault"), 42);
  EXPECT_EQ(m.at("node_vmstat_oom_kill"), 1);
  EXPECT_EQ(m.count("node_vmstat_numa_hit"), 0u);
  EXPECT_EQ(m.at("node_load1"), 1.25);
  EXPECT_EQ(m.at("node_load15"), 0.05);
  EXPECT_EQ(m.at("node_filefd_allocated"), 1528);
  EXPECT_EQ(m.at("node_filefd_maximum"), 2466165);
}

TEST(HostCollector, NetworkAndDisks) {
  auto m = CollectFixture();
  EXPECT_EQ(m.at("node_network_receive_bytes_total{device=\"lo\"}"), 42248916500.0);
  EXPECT_EQ(m.at("node_network_receive_bytes_total{device=\"eth0\"}"), 1000);
  EXPECT_EQ(m.at("node_network_transmit_drop_total{device=\"eth0\"}"), 8);
  EXPECT_EQ(m.at("node_network_transmit_compressed_total{device=\"eth0\"}"), 12);
  EXPECT_EQ(m.at("node_disk_read_bytes_total{device=\"sda\"}"), 4096.0 * 512);
  EXPECT_EQ(m.at("node_disk_written_bytes_total{device=\"sda\"}"), 8192.0 * 512);
  EXPECT_DOUBLE_EQ(m.at("node_disk_io_time_seconds_total{device=\"sda\"}"), 3.0);
  EXPECT_EQ(m.at("node_disk_flush_requests_total{device=\"sda\"}"), 10);
  EXPECT_EQ(m.at("node_disk_reads_completed_total{device=\"nvme0n1\"}"), 10);
  EXPECT_EQ(m.count("node_disk_flush_requests_total{device=\"nvme0n1\"}"), 0u);  // old kernel
  // Partitions, loop devices: left out like node_exporter does.
  EXPECT_EQ(m.count("node_disk_reads_completed_total{device=\"sda1\"}"), 0u);
  EXPECT_EQ(m.count("node_disk_reads_completed_total{device=\"loop0\"}"), 0u);
  EXPECT_EQ(m.count("node_disk_reads_completed_total{device=\"nvme0n1p1\"}"), 0u);
}

TEST(HostCollector, RealFilesystemsOnlyWithStatvfsNumbers) {
  auto m = CollectFixture();
  struct statvfs st {};
  ASSERT_EQ(statvfs("/", &st), 0);
  const std::string root = "{device=\"/dev/sda1\", fstype=\"ext4\", mountpoint=\"/\"}";
  EXPECT_EQ(m.at("node_filesystem_size_bytes" + root), double(st.f_blocks) * st.f_frsize);
  EXPECT_GT(m.at("node_filesystem_avail_bytes" + root), 0);
  EXPECT_EQ(m.at("node_filesystem_device_error" + root), 0);
  // Escaped mount point, not mounted here: reported as a device error, not skipped.
  EXPECT_EQ(m.at("node_filesystem_device_error{device=\"/dev/sdb1\", fstype=\"ext4\", "
                 "mountpoint=\"/mnt/no such\"}"),
            1);
  size_t filesystems = 0;
  for (const auto& [name, v] : m) filesystems += name.starts_with("node_filesystem_size_bytes");
  EXPECT_EQ(filesystems, 1u);  // proc, /dev/shm, overlay and the duplicate are left out
}

TEST(HostCollector, MissingFilesAreReportedPerPart) {
  HostCollector c({.proc_root = "/nonexistent-proc"});
  auto m = ByName(c.Collect());
  EXPECT_EQ(m.at("node_scrape_collector_success{collector=\"cpu\"}"), 0);
  EXPECT_EQ(m.at("node_scrape_collector_success{collector=\"filesystem\"}"), 0);
  ASSERT_EQ(c.errors().size(), 8u);
  EXPECT_EQ(c.errors()[0], "cpu: cannot read /nonexistent-proc/stat");
  auto fixture = CollectFixture();
  EXPECT_EQ(fixture.at("node_scrape_collector_success{collector=\"diskstats\"}"), 1);
}

TEST(HostCollector, RealProc) {
  HostCollector c;
  auto samples = c.Collect();
  EXPECT_TRUE(c.errors().empty()) << c.errors().front();
  auto m = ByName(samples);
  EXPECT_GT(m.at("node_memory_MemTotal_bytes"), 0);
  EXPECT_GT(m.at("node_cpu_seconds_total{cpu=\"0\", mode=\"idle\"}"), 0);
  EXPECT_GE(m.at("node_load1"), 0);
  EXPECT_GT(m.at("node_filefd_maximum"), 0);
}

}  // namespace
}  // namespace failsafe::watch
