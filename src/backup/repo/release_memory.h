#pragma once
// Hands memory the process has freed back to the kernel at once. The failsafe binary runs
// on jemalloc, which keeps freed pages for seconds in case they are reused: after opening a
// repository that is the 64 MiB of Argon2id, and after loading the index its temporaries,
// both resident while the index (hundreds of MiB at millions of blobs) and then a backup's
// buffers are allocated, so they add to the peak. Without jemalloc, glibc's malloc_trim.
namespace failsafe::backup {

void ReleaseFreedMemory();

}  // namespace failsafe::backup
