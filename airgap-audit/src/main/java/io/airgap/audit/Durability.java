package io.airgap.audit;

/** When {@link AuditLog#append} returns, relative to the disk. */
public enum Durability {
  /**
   * The entry, its tile hashes and a signed checkpoint covering it have been written and fsynced
   * (their directories too): the entry survives a crash or power loss at any later instant.
   */
  DURABLE,
  /**
   * The entry has its index and its batch's files are written, but the caller does not wait for
   * them to be flushed, renamed and covered by a signed checkpoint. The commit still completes in
   * the durable order, so the directory is always a consistent, verifiable log; but a crash or
   * power loss before the commit completes (a few milliseconds) loses the entries of that batch,
   * although they were acknowledged. A failure at that point stops the log (reopen it).
   */
  BUFFERED
}
