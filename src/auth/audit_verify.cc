// VerifyAuditChain (declared in auth_module.h): walks the audit log in seq order.
#include "auth/audit_log.h"
#include "auth/auth_module.h"
#include "base/random.h"

namespace failsafe::auth {
namespace {

constexpr int kBatch = 1000;

AuditVerifyReport Bad(AuditVerifyReport report, std::optional<int64_t> seq, std::string reason) {
  report.ok = false;
  report.first_bad_seq = seq;
  report.reason = std::move(reason);
  return report;
}

}  // namespace

Result<AuditVerifyReport> VerifyAuditChain(store::Store& store, const std::string& audit_key) {
  AuditVerifyReport report;
  Status st = store.Read([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(auto head,
                               tx.QueryOne("SELECT seq, hash, mac FROM audit_head WHERE id = 1"));
    if (!head) {
      report = Bad(report, std::nullopt, "audit_head row is missing");
      return Status::Ok();
    }
    const int64_t head_seq = head->Int(0);
    const std::string head_hash = head->Text(1);
    const std::string head_mac = head->Text(2);

    int64_t expected_seq = 1;
    std::string prev_hash;
    for (;;) {
      FS_ASSIGN_OR_RETURN_STATUS(auto batch, ReadAuditRecords(tx, expected_seq - 1, kBatch));
      // A gap makes the query skip ahead; the first row then has a seq past the expected one.
      for (const AuditRecord& r : batch) {
        if (r.seq != expected_seq) {
          report = Bad(report, r.seq,
                       "entry " + std::to_string(expected_seq) +
                           (r.seq == expected_seq + 1
                                ? " was removed"
                                : " to " + std::to_string(r.seq - 1) + " were removed") +
                           " (gap before seq " + std::to_string(r.seq) + ")");
          return Status::Ok();
        }
        if (!ConstantTimeEquals(r.prev_hash, prev_hash)) {
          report = Bad(report, r.seq,
                       "entry " + std::to_string(r.seq) +
                           " does not follow the previous entry (prev_hash mismatch: an entry "
                           "before it was removed or replaced)");
          return Status::Ok();
        }
        if (!ConstantTimeEquals(AuditRecordHash(audit_key, r), r.hash)) {
          report =
              Bad(report, r.seq, "entry " + std::to_string(r.seq) + " was altered (hash mismatch)");
          return Status::Ok();
        }
        prev_hash = r.hash;
        ++expected_seq;
        ++report.entries_checked;
      }
      if (batch.size() < static_cast<size_t>(kBatch)) break;
    }

    const int64_t last_seq = expected_seq - 1;
    const bool fresh = head_seq == 0 && head_hash.empty() && head_mac.empty() && last_seq == 0;
    if (!fresh && !ConstantTimeEquals(AuditHeadMac(audit_key, head_seq, head_hash), head_mac)) {
      report = Bad(report, head_seq + 1,
                   "audit head was altered (MAC mismatch; wrong audit.key, or the head was "
                   "edited)");
      return Status::Ok();
    }
    if (head_seq != last_seq || head_hash != prev_hash) {
      report = Bad(report, last_seq + 1,
                   head_seq > last_seq
                       ? "log was truncated: head records " + std::to_string(head_seq) +
                             " entries but the log ends at " + std::to_string(last_seq)
                       : "log has entries past the head (head at " + std::to_string(head_seq) +
                             ", log at " + std::to_string(last_seq) + ")");
      return Status::Ok();
    }
    return Status::Ok();
  });
  if (!st.ok()) return Err(st);
  return report;
}

}  // namespace failsafe::auth
