#pragma once
// The parts of the host collector, one per /proc source (host_collector.cc runs them).
// Internal: each appends its samples to `out` and returns an error text, empty on success.
#include <string>
#include <string_view>
#include <vector>

#include "watch/metrics/exposition.h"
#include "watch/metrics/host_collector.h"

namespace failsafe::watch::host {

// Reads a whole /proc file (their reported size is 0, so no size-based read); false when
// it cannot be opened.
bool ReadProcFile(const std::string& path, std::string* out);
// The lines of `text`, without their '\n'.
std::vector<std::string_view> Lines(std::string_view text);
// A whole field as a number; false when it is not one.
bool ToDouble(std::string_view text, double* out);
// Whitespace-separated fields of one line.
std::vector<std::string_view> Fields(std::string_view line);
// Adds a sample; `labels` are name/value pairs after the metric name.
void Add(std::vector<ParsedSample>& out, std::string_view name, double value,
         std::vector<Label> labels = {});

std::string CollectCpu(const HostCollectorOptions& o, std::vector<ParsedSample>& out);
std::string CollectMemory(const HostCollectorOptions& o, std::vector<ParsedSample>& out);
std::string CollectVmstat(const HostCollectorOptions& o, std::vector<ParsedSample>& out);
std::string CollectLoad(const HostCollectorOptions& o, std::vector<ParsedSample>& out);
std::string CollectFileFd(const HostCollectorOptions& o, std::vector<ParsedSample>& out);
std::string CollectNetDev(const HostCollectorOptions& o, std::vector<ParsedSample>& out);
std::string CollectDiskstats(const HostCollectorOptions& o, std::vector<ParsedSample>& out);
std::string CollectFilesystems(const HostCollectorOptions& o, std::vector<ParsedSample>& out);

}  // namespace failsafe::watch::host
