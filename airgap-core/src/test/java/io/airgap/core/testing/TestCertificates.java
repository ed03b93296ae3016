package io.airgap.core.testing;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes small certificate hierarchies for tests. */
public final class TestCertificates {
  /** Validity start of every test certificate. */
  public static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");

  /** Validity end of every test certificate. */
  public static final Instant NOT_AFTER = Instant.parse("2027-01-01T00:00:00Z");

  private static final AtomicLong SERIAL = new AtomicLong(1);

  private TestCertificates() {}

  /** A certificate and its key. */
  public record Issued(X509Certificate certificate, SigningKey key) {}

  /** A self-signed CA. */
  public static Issued rootCa(String name) {
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    return new Issued(build(name, key, name, key, Usage.CA, NOT_BEFORE, NOT_AFTER), key);
  }

  /** An intermediate CA issued by {@code issuer}. */
  public static Issued intermediateCa(String name, Issued issuer) {
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    return new Issued(
        build(name, key, subject(issuer), issuer.key(), Usage.CA, NOT_BEFORE, NOT_AFTER), key);
  }

  /** A leaf issued by {@code issuer} with the given usage and validity. */
  public static Issued leaf(
      String name, KeyType type, Issued issuer, Usage usage, Instant from, Instant until) {
    SigningKey key = Pem.generate(type);
    return new Issued(build(name, key, subject(issuer), issuer.key(), usage, from, until), key);
  }

  /** A code-signing leaf valid in 2026. */
  public static Issued leaf(String name, Issued issuer) {
    return leaf(name, KeyType.ECDSA_P256, issuer, Usage.DIGITAL_SIGNATURE, NOT_BEFORE, NOT_AFTER);
  }

  /** What a certificate may be used for. */
  public enum Usage {
    CA,
    DIGITAL_SIGNATURE,
    CODE_SIGNING_ONLY,
    KEY_ENCIPHERMENT_ONLY,
    TLS_SERVER
  }

  private static String subject(Issued issued) {
    return issued.certificate().getSubjectX500Principal().getName();
  }

  private static X509Certificate build(
      String subject,
      SigningKey subjectKey,
      String issuer,
      SigningKey issuerKey,
      Usage usage,
      Instant from,
      Instant until) {
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(issuer.contains("=") ? issuer : "CN=" + issuer),
              BigInteger.valueOf(SERIAL.getAndIncrement()),
              Date.from(from),
              Date.from(until),
              new X500Name("CN=" + subject),
              subjectKey.publicKey());
      switch (usage) {
        case CA -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
          builder.addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case DIGITAL_SIGNATURE ->
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        case CODE_SIGNING_ONLY ->
            builder.addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        case TLS_SERVER -> {
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          builder.addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        }
        case KEY_ENCIPHERMENT_ONLY ->
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment));
      }
      String algorithm =
          issuerKey.type() == KeyType.ED25519 ? "Ed25519" : issuerKey.type().jcaSignature();
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey.privateKey())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    }
  }
}
