/**
 * The audit trail as other modules use it: every service records its writes here, inside the
 * write's own transaction, and reads a record's history for the conflict page. The SQL is in
 * audit.repository.ts; modules reach it only through this file.
 */
export {
  type AuditEvent,
  type AuditEventInput,
  latestAuditEvent,
  listAuditEvents,
  recordAuditEvent,
} from "./audit.repository.ts";
