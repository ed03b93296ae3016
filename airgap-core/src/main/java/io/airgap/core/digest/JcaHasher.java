package io.airgap.core.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/** A hasher over a JCA {@link MessageDigest}, which reaches the JDK's SHA intrinsics. */
final class JcaHasher implements Hasher {
  private final MessageDigest digest;

  JcaHasher(MessageDigest digest) {
    this.digest = digest;
  }

  @Override
  public void update(ByteBuffer buffer) {
    digest.update(buffer);
  }

  @Override
  public void update(byte[] bytes, int offset, int length) {
    digest.update(bytes, offset, length);
  }

  @Override
  public byte[] digest() {
    return digest.digest();
  }
}
