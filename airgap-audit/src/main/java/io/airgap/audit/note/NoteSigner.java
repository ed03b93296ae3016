package io.airgap.audit.note;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * An Ed25519 note signer, written as {@code PRIVATE+KEY+name+hexid+base64(0x01 || seed)} (the Go
 * {@code note} package's format). Immutable and thread-safe. Never log {@link #privateKeyString()}.
 */
public final class NoteSigner {
  private final byte[] seed;
  private final NoteVerifier verifier;
  private final PrivateKey jcaKey;

  private NoteSigner(String name, byte[] seed) {
    this.seed = seed.clone();
    byte[] publicKey = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    this.verifier = new NoteVerifier(name, publicKey);
    try {
      this.jcaKey =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot load Ed25519 keys", e);
    }
  }

  /** A new key with a fresh seed from the platform's strong random source. */
  public static NoteSigner generate(String name) {
    byte[] seed = new byte[32];
    try {
      SecureRandom.getInstanceStrong().nextBytes(seed);
    } catch (java.security.NoSuchAlgorithmException e) {
      new SecureRandom().nextBytes(seed);
    }
    try {
      return new NoteSigner(name, seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Parses a signer key string.
   *
   * @throws NoteException when it is malformed or its id does not match
   */
  public static NoteSigner parse(String text) {
    String[] parts = text.split("\\+", 5);
    if (parts.length != 5
        || !parts[0].equals("PRIVATE")
        || !parts[1].equals("KEY")
        || !parts[3].matches("[0-9a-f]{8}")) {
      throw new NoteException("malformed note signer key: expected PRIVATE+KEY+name+hexid+base64");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(parts[4]);
    } catch (IllegalArgumentException e) {
      throw new NoteException("malformed note signer key: the key is not base64");
    }
    if (key.length != 33 || key[0] != NoteKeys.ED25519) {
      throw new NoteException("note signer key is not an Ed25519 key (type 0x01, 32 bytes)");
    }
    NoteSigner signer = new NoteSigner(parts[2], Arrays.copyOfRange(key, 1, 33));
    if (signer.verifier.keyId() != Integer.parseUnsignedInt(parts[3], 16)) {
      throw new NoteException("note signer key for '" + parts[2] + "' has the wrong key id");
    }
    return signer;
  }

  /** The matching verifier. */
  public NoteVerifier verifier() {
    return verifier;
  }

  /** The key name. */
  public String name() {
    return verifier.name();
  }

  /** The private key string, to store with owner-only permissions. */
  public String privateKeyString() {
    byte[] typed = NoteVerifier.typed(seed);
    return "PRIVATE+KEY+"
        + name()
        + "+"
        + HexFormat.of().toHexDigits(verifier.keyId())
        + "+"
        + Base64.getEncoder().encodeToString(typed);
  }

  /** The raw Ed25519 signature of {@code text}. */
  byte[] sign(byte[] text) {
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initSign(jcaKey);
      ed25519.update(text);
      return ed25519.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "NoteSigner[" + verifier + "]";
  }
}
