package io.airgap.core.digest;

import java.nio.ByteBuffer;

/** A hasher over a Bouncy Castle digest, which only accepts arrays. */
final class BouncyCastleHasher implements Hasher {
  // Direct buffers are copied through this small array; it stays in L1 cache.
  private static final int CHUNK = 16 * 1024;

  private final org.bouncycastle.crypto.Digest digest;
  private byte[] chunk;

  BouncyCastleHasher(org.bouncycastle.crypto.Digest digest) {
    this.digest = digest;
  }

  @Override
  public void update(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      digest.update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      buffer.position(buffer.limit());
      return;
    }
    if (chunk == null) {
      chunk = new byte[CHUNK];
    }
    while (buffer.hasRemaining()) {
      int length = Math.min(chunk.length, buffer.remaining());
      buffer.get(chunk, 0, length);
      digest.update(chunk, 0, length);
    }
  }

  @Override
  public void update(byte[] bytes, int offset, int length) {
    digest.update(bytes, offset, length);
  }

  @Override
  public byte[] digest() {
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }
}
