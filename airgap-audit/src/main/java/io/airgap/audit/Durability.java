package io.airgap.audit;

/** When {@link AuditLog#append} returns, relative to the disk. */
public enum Durability {
  /**
   * The entry, its tile hashes and a signed checkpoint covering it have been written and fsynced
   * (their directories too): the entry survives a crash or power loss at any later instant.
   */
  DURABLE,
  /**
   * The same files have been written and renamed into place, but not fsynced: the entry survives
   * the process being killed, but a power loss or kernel crash may lose every entry of the batches
   * written since the operating system last flushed them; the log then reopens at the last
   * checkpoint that reached the disk, consistent and verifiable.
   */
  BUFFERED
}
