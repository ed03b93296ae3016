package io.airgap.audit.note;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 note verifier key, written as {@code name+hexid+base64(0x01 || public key)} (C2SP
 * signed-note). Immutable and thread-safe.
 */
public final class NoteVerifier {
  private final String name;
  private final int keyId;
  private final byte[] publicKey;
  private final PublicKey jcaKey;

  NoteVerifier(String name, byte[] publicKey) {
    NoteKeys.checkName(name);
    this.name = name;
    this.publicKey = publicKey.clone();
    this.keyId = NoteKeys.keyId(name, typed(publicKey));
    this.jcaKey = jcaPublicKey(name, publicKey);
  }

  /**
   * Parses a verifier key string.
   *
   * @throws NoteException when it is malformed, of another algorithm, or its id does not match
   */
  public static NoteVerifier parse(String text) {
    String[] parts = text.split("\\+", 3);
    if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
      throw new NoteException(
          "malformed note verifier key '" + text + "': expected name+hexid+base64");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new NoteException("malformed note verifier key '" + text + "': the key is not base64");
    }
    if (key.length != 33 || key[0] != NoteKeys.ED25519) {
      throw new NoteException(
          "note verifier key '" + text + "' is not an Ed25519 key (type 0x01, 32 bytes)");
    }
    NoteVerifier verifier = new NoteVerifier(parts[0], Arrays.copyOfRange(key, 1, 33));
    if (verifier.keyId != Integer.parseUnsignedInt(parts[1], 16)) {
      throw new NoteException(
          "note verifier key '" + text + "' has the wrong key id for its name and key");
    }
    return verifier;
  }

  /** The key name, which signature lines carry. */
  public String name() {
    return name;
  }

  /** The 4-byte key id. */
  public int keyId() {
    return keyId;
  }

  /** The verifier key string. */
  @Override
  public String toString() {
    return name
        + "+"
        + HexFormat.of().toHexDigits(keyId)
        + "+"
        + Base64.getEncoder().encodeToString(typed(publicKey));
  }

  /** Whether {@code signature} is this key's Ed25519 signature of {@code text}. */
  boolean verifies(byte[] text, byte[] signature) {
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(jcaKey);
      ed25519.update(text);
      return ed25519.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static byte[] typed(byte[] publicKey) {
    byte[] typed = new byte[publicKey.length + 1];
    typed[0] = NoteKeys.ED25519;
    System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
    return typed;
  }

  /** RFC 8032 5.1.2: the last byte's top bit is the x sign; the rest, little-endian, is y. */
  private static PublicKey jcaPublicKey(String name, byte[] encoded) {
    byte[] bigEndian = new byte[32];
    for (int i = 0; i < 32; i++) {
      bigEndian[i] = encoded[31 - i];
    }
    boolean xOdd = (bigEndian[0] & 0x80) != 0;
    bigEndian[0] &= 0x7f;
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(
              new EdECPublicKeySpec(
                  NamedParameterSpec.ED25519,
                  new EdECPoint(xOdd, new java.math.BigInteger(1, bigEndian))));
    } catch (GeneralSecurityException e) {
      throw new NoteException("invalid Ed25519 public key for note key '" + name + "'");
    }
  }
}
