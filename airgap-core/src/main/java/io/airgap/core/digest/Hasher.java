package io.airgap.core.digest;

import java.nio.ByteBuffer;

/** An incremental hash computation. Not thread-safe: one hasher belongs to one thread at a time. */
public interface Hasher {
  /** Feeds the remaining bytes of {@code buffer}, leaving its position at its limit. */
  void update(ByteBuffer buffer);

  /** Feeds {@code length} bytes of {@code bytes} from {@code offset}. */
  void update(byte[] bytes, int offset, int length);

  /** Finishes the computation and returns the digest; the hasher must not be used afterwards. */
  byte[] digest();
}
