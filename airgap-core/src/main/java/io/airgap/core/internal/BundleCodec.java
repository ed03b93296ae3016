package io.airgap.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.signing.DsseEnvelope;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SignatureBundle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes OMS signature files (Sigstore bundle v0.3 JSON). Reading is strict: a size
 * limit, duplicate keys rejected, exact media and payload types. Stateless and thread-safe.
 */
public final class BundleCodec {
  /** The default size limit of a signature file: 8 MiB, room for about 40,000 resources. */
  public static final long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;

  /** Longest certificate chain accepted; real chains have two to four certificates. */
  static final int MAX_CHAIN_LENGTH = 10;

  private static final String ALTERNATE_MEDIA_TYPE =
      "application/vnd.dev.sigstore.bundle+json;version=0.3";

  private BundleCodec() {}

  /**
   * Reads a signature file, refusing files over {@code maxBytes}.
   *
   * @throws FormatException when the file is too large or malformed
   * @throws InputException when it cannot be read
   */
  public static SignatureBundle read(Path path, long maxBytes) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      // One byte past the limit tells a file at the limit from a larger one (no overflow).
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes) + 1);
    } catch (NoSuchFileException e) {
      throw new InputException("signature file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new InputException("cannot read signature file " + path + ": " + e.getMessage(), e);
    }
    if (bytes.length > maxBytes) {
      throw new FormatException(
          "signature file " + path + " is larger than the limit of " + maxBytes + " bytes");
    }
    return parse(bytes, "signature file " + path);
  }

  /** Parses a signature bundle; {@code where} names it in errors. */
  public static SignatureBundle parse(byte[] json, String where) {
    JsonNode root = StrictJson.readSmallObject(json, where);
    String mediaType = StrictJson.text(root, "mediaType", where);
    if (!SignatureBundle.MEDIA_TYPE.equals(mediaType) && !ALTERNATE_MEDIA_TYPE.equals(mediaType)) {
      throw new FormatException(
          where
              + ": mediaType is '"
              + ResourceNames.printable(mediaType)
              + "', expected '"
              + SignatureBundle.MEDIA_TYPE
              + "'");
    }
    JsonNode material = StrictJson.object(root, "verificationMaterial", where);
    DsseEnvelope envelope =
        DsseEnvelope.fromJson(
            StrictJson.object(root, "dsseEnvelope", where), Dsse.IN_TOTO_PAYLOAD_TYPE, where);
    if (material.has("x509CertificateChain") && material.has("publicKey")) {
      throw new FormatException(
          where + ": verificationMaterial has both 'publicKey' and 'x509CertificateChain'");
    }
    if (material.has("x509CertificateChain")) {
      JsonNode chain = StrictJson.object(material, "x509CertificateChain", where);
      return new SignatureBundle(envelope, null, null, certificates(chain, where));
    }
    if (material.has("publicKey")) {
      JsonNode key = StrictJson.object(material, "publicKey", where);
      String hint = StrictJson.optionalText(key, "hint", where);
      byte[] raw = key.has("rawBytes") ? StrictJson.base64(key, "rawBytes", where) : null;
      return new SignatureBundle(envelope, hint, raw, List.of());
    }
    if (material.has("certificate")) {
      throw new FormatException(
          where
              + ": a single 'certificate' (Sigstore keyless signing) needs a transparency log;"
              + " offline verification supports the key and certificate-chain methods");
    }
    throw new FormatException(
        where + ": verificationMaterial has neither 'publicKey' nor 'x509CertificateChain'");
  }

  private static List<X509Certificate> certificates(JsonNode chain, String where) {
    JsonNode certificates = StrictJson.array(chain, "certificates", where);
    if (certificates.isEmpty()) {
      throw new FormatException(where + ": x509CertificateChain.certificates is empty");
    }
    if (certificates.size() > MAX_CHAIN_LENGTH) {
      throw new FormatException(
          where
              + ": the certificate chain has "
              + certificates.size()
              + " certificates, more than the limit of "
              + MAX_CHAIN_LENGTH);
    }
    List<X509Certificate> parsed = new ArrayList<>();
    for (int i = 0; i < certificates.size(); i++) {
      String at = where + ": certificates[" + i + "]";
      JsonNode certificate = certificates.get(i);
      if (!certificate.isObject()) {
        throw new FormatException(at + " must be an object");
      }
      parsed.add(Pem.certificate(StrictJson.base64(certificate, "rawBytes", at), at));
    }
    return parsed;
  }

  /** Serializes a bundle as {@code model_signing} lays it out, two-space indented. */
  public static byte[] write(SignatureBundle bundle) {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("mediaType", SignatureBundle.MEDIA_TYPE);
    ObjectNode material = root.putObject("verificationMaterial");
    if (bundle.usesCertificate()) {
      ArrayNode certificates = material.putObject("x509CertificateChain").putArray("certificates");
      for (X509Certificate certificate : bundle.certificateChain()) {
        certificates.addObject().put("rawBytes", base64(der(certificate)));
      }
    } else {
      material.putObject("publicKey").put("hint", bundle.publicKeyHint());
    }
    material.putArray("tlogEntries");
    root.set("dsseEnvelope", bundle.envelope().toJson());
    return StrictJson.writePretty(root);
  }

  private static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new FormatException(
          "cannot encode certificate " + certificate.getSubjectX500Principal(), e);
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
