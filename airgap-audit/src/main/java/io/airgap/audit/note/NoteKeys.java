package io.airgap.audit.note;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Key names, key IDs and their rules for C2SP signed notes. Stateless. */
final class NoteKeys {
  /** Signature type byte of Ed25519 note keys. */
  static final byte ED25519 = 0x01;

  private NoteKeys() {}

  /** C2SP signed-note: SHA-256(name || 0x0A || type || public key), first 4 bytes, big-endian. */
  static int keyId(String name, byte[] typedPublicKey) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(typedPublicKey);
      byte[] hash = sha.digest();
      return ((hash[0] & 0xff) << 24)
          | ((hash[1] & 0xff) << 16)
          | ((hash[2] & 0xff) << 8)
          | (hash[3] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** A key name must be non-empty, valid text, and hold no Unicode space and no '+'. */
  static void checkName(String name) {
    if (name.isEmpty()) {
      throw new NoteException("a note key name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '+'
          || Character.isWhitespace(c)
          || Character.isSpaceChar(c)
          || Character.isISOControl(c)
          || Character.isSurrogate(c) && !validPair(name, i)) {
        throw new NoteException(
            "note key name '" + name + "' contains a space, '+' or a control character");
      }
      if (Character.isHighSurrogate(c)) {
        i++;
      }
    }
  }

  private static boolean validPair(String name, int i) {
    return Character.isHighSurrogate(name.charAt(i))
        && i + 1 < name.length()
        && Character.isLowSurrogate(name.charAt(i + 1));
  }
}
