package io.airgap.core.signing;

import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.digest.HashAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads and writes keys and certificates as PEM: private keys as PKCS#8, SEC1 ({@code EC PRIVATE
 * KEY}) or password-encrypted PKCS#8; public keys as SubjectPublicKeyInfo; certificates as X.509.
 * Text before a PEM block (as {@code certtool} writes) is skipped. Stateless and thread-safe.
 */
public final class Pem {
  /** The largest key or certificate file read, far above any real one. */
  private static final long MAX_PEM_BYTES = 1024 * 1024;

  private Pem() {}

  /**
   * Reads a private key and derives its public half.
   *
   * @param password the password of an encrypted key, or {@code null}
   * @throws FormatException when the file holds no supported private key or the password is wrong
   * @throws InputException when the file cannot be read
   */
  public static SigningKey readSigningKey(Path path, char[] password) {
    return parseSigningKey(readText(path), password, path.toString());
  }

  /** Parses a private key from PEM text; {@code where} names the source in errors. */
  public static SigningKey parseSigningKey(String pem, char[] password, String where) {
    Object object = firstObject(pem, where);
    PrivateKeyInfo info = privateKeyInfo(object, password, where);
    PrivateKey privateKey;
    try {
      privateKey = new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (PEMException e) {
      throw new FormatException(where + ": unsupported private key: " + e.getMessage(), e);
    }
    PublicKey publicKey = publicKeyOf(privateKey, info, where);
    return new SigningKey(privateKey, publicKey, keyType(publicKey, where));
  }

  /**
   * Reads a public key (SubjectPublicKeyInfo PEM).
   *
   * @throws FormatException when the file holds no supported public key
   */
  public static PublicKey readPublicKey(Path path) {
    return parsePublicKey(readText(path), path.toString());
  }

  /** Parses a public key from PEM text; {@code where} names the source in errors. */
  public static PublicKey parsePublicKey(String pem, String where) {
    Object object = firstObject(pem, where);
    if (!(object instanceof SubjectPublicKeyInfo info)) {
      throw new FormatException(where + ": expected a PUBLIC KEY block, found " + kind(object));
    }
    try {
      PublicKey key = new JcaPEMKeyConverter().getPublicKey(info);
      keyType(key, where);
      return key;
    } catch (PEMException e) {
      throw new FormatException(where + ": unsupported public key: " + e.getMessage(), e);
    }
  }

  /**
   * Reads every certificate in a PEM file, in file order.
   *
   * @throws FormatException when the file holds no certificate or a block is not one
   */
  public static List<X509Certificate> readCertificates(Path path) {
    String where = path.toString();
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(readText(path)))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (!(object instanceof X509CertificateHolder holder)) {
          throw new FormatException(where + ": expected CERTIFICATE blocks, found " + kind(object));
        }
        certificates.add(certificate(holder.getEncoded(), where));
      }
    } catch (IOException e) {
      throw new FormatException(where + ": malformed PEM: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new FormatException(where + ": no CERTIFICATE block found");
    }
    return certificates;
  }

  /** Decodes one DER certificate; {@code where} names the source in errors. */
  public static X509Certificate certificate(byte[] der, String where) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw new FormatException(where + ": not a DER X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** The public key as PEM text: 64-column base64 lines, LF line ends, trailing LF. */
  public static String publicKeyPem(PublicKey key) {
    return block("PUBLIC KEY", key.getEncoded());
  }

  /** The private key as unencrypted PKCS#8 PEM text. */
  public static String privateKeyPem(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  /** The certificate as PEM text. */
  public static String certificatePem(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new FormatException(
          "cannot encode certificate " + certificate.getSubjectX500Principal(), e);
    }
  }

  /**
   * The OMS key hint: hex SHA-256 of {@link #publicKeyPem(PublicKey)}, as {@code model_signing}
   * writes in {@code verificationMaterial.publicKey.hint}.
   */
  public static String hint(PublicKey key) {
    return HashAlgorithm.SHA256.hash(publicKeyPem(key).getBytes(StandardCharsets.US_ASCII)).hex();
  }

  /** Generates a fresh key pair of the given type with the platform's strong random source. */
  public static SigningKey generate(KeyType type) {
    try {
      KeyPair pair;
      if (type == KeyType.ED25519) {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      } else {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(type.curve()));
        pair = generator.generateKeyPair();
      }
      return new SigningKey(pair.getPrivate(), pair.getPublic(), type);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + type.cliName() + " keys", e);
    }
  }

  private static String block(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static PrivateKeyInfo privateKeyInfo(Object object, char[] password, String where) {
    try {
      if (object instanceof PrivateKeyInfo info) {
        return info;
      }
      if (object instanceof PEMKeyPair pair) {
        return pair.getPrivateKeyInfo();
      }
      if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
        requirePassword(password, where);
        return encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                .setProvider(new BouncyCastleProvider())
                .build(password));
      }
      if (object instanceof PEMEncryptedKeyPair encrypted) {
        requirePassword(password, where);
        return encrypted
            .decryptKeyPair(
                new JcePEMDecryptorProviderBuilder()
                    .setProvider(new BouncyCastleProvider())
                    .build(password))
            .getPrivateKeyInfo();
      }
    } catch (PKCSException | IOException | OperatorCreationException e) {
      throw new FormatException(
          where + ": cannot decrypt the private key (wrong password?): " + e.getMessage(), e);
    }
    throw new FormatException(where + ": expected a private key, found " + kind(object));
  }

  private static void requirePassword(char[] password, String where) {
    if (password == null) {
      throw new FormatException(where + ": the private key is encrypted; give its password");
    }
  }

  private static PublicKey publicKeyOf(PrivateKey key, PrivateKeyInfo info, String where) {
    try {
      if (key instanceof ECPrivateKey ec) {
        KeyType type = ecType(ec, where);
        X9ECParameters curve = ECNamedCurveTable.getByName(type.curve());
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(ec.getS()).normalize();
        ECPoint point =
            new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC")
            .generatePublic(new ECPublicKeySpec(point, ec.getParams()));
      }
      if (key instanceof EdECPrivateKey ed) {
        byte[] seed = ed.getBytes().orElseThrow();
        byte[] raw = new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded();
        SubjectPublicKeyInfo spki =
            new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), raw);
        return KeyFactory.getInstance("Ed25519")
            .generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new FormatException(where + ": cannot derive the public key: " + e.getMessage(), e);
    }
    throw new FormatException(
        where
            + ": "
            + info.getPrivateKeyAlgorithm().getAlgorithm()
            + " keys are not supported; use ECDSA P-256, P-384, P-521 or Ed25519");
  }

  private static KeyType keyType(PublicKey key, String where) {
    try {
      return KeyType.of(key);
    } catch (FormatException e) {
      throw new FormatException(where + ": " + e.getMessage(), e);
    }
  }

  private static KeyType ecType(ECPrivateKey key, String where) {
    try {
      return KeyType.ofEcParameters(key.getParams());
    } catch (FormatException e) {
      throw new FormatException(where + ": " + e.getMessage(), e);
    }
  }

  private static Object firstObject(String pem, String where) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object == null) {
        throw new FormatException(where + ": no PEM block found");
      }
      return object;
    } catch (IOException e) {
      throw new FormatException(where + ": malformed PEM: " + e.getMessage(), e);
    }
  }

  private static String kind(Object object) {
    return object == null ? "nothing" : object.getClass().getSimpleName();
  }

  static String readText(Path path) {
    try {
      long size = Files.size(path);
      if (size > MAX_PEM_BYTES) {
        throw new FormatException(
            path + " is " + size + " bytes, larger than any PEM key or certificate file");
      }
      return Files.readString(path, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new InputException(path + " does not exist", e);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new FormatException(path + " is not PEM text (non-ASCII bytes)", e);
    } catch (IOException e) {
      throw new InputException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
