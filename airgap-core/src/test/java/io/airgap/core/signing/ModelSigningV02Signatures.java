package io.airgap.core.signing;

import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.internal.Dsse;
import io.airgap.core.internal.ModelFiles;
import io.airgap.core.internal.ResourceNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes signatures in the format {@code model_signing} 0.2 wrote, for tests only: its {@code
 * https://model_signing/Digests/v0.1} statement (laid out as protobuf's {@code MessageToJson}
 * writes it), signed with SHA-256 over its faulty pre-authentication encoding, in a bundle as its
 * protobuf classes serialized it ({@code publicKey.rawBytes} with {@code keyDetails} always P-256,
 * or an {@code x509CertificateChain}; {@code keyid} null; no {@code tlogEntries}).
 */
final class ModelSigningV02Signatures {
  /** How a test signature is made. */
  enum Encoding {
    /** What model_signing 0.2 did: its faulty encoding, always SHA-256. */
    MODEL_SIGNING_V02,
    /** The DSSE encoding with the key type's hash, as current signers do. */
    DSSE
  }

  private ModelSigningV02Signatures() {}

  /** The v0.1 statement over every file of {@code model} but {@code model.sig}, sorted by name. */
  static byte[] statement(Path model) {
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"_type\": \"https://in-toto.io/Statement/v1\",\n  \"subject\": [\n");
    List<String> subjects = new ArrayList<>();
    for (String name : files(model)) {
      Path file = Files.isDirectory(model) ? model.resolve(name) : model;
      subjects.add(
          "    {\n      \"name\": \""
              + name
              + "\",\n      \"digest\": {\n        \"sha256\": \""
              + HashAlgorithm.SHA256.hash(read(file)).hex()
              + "\"\n      },\n      \"annotations\": {\n"
              + "        \"actual_hash_algorithm\": \"file-sha256\"\n      }\n    }");
    }
    json.append(String.join(",\n", subjects));
    json.append("\n  ],\n  \"predicateType\": \"https://model_signing/Digests/v0.1\",\n");
    json.append("  \"predicate\": {\n");
    json.append("    \"unused\": \"Unused, just passed due to API requirements\"\n  }\n}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Signs {@code payload} as {@code encoding} says. */
  static byte[] sign(SigningKey key, byte[] payload, Encoding encoding) {
    if (encoding == Encoding.DSSE) {
      return key.type().sign(key.privateKey(), Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
    }
    return sign(
        key, "SHA256withECDSA", Dsse.modelSigningV02Pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
  }

  /** Signs {@code message} with the named JCA algorithm. */
  static byte[] sign(SigningKey key, String algorithm, byte[] message) {
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key.privateKey());
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a key-method bundle: the key's PEM as {@code rawBytes}, as model_signing 0.2 did. */
  static void writeKeyBundle(Path file, SigningKey key, byte[] payload, byte[] signature) {
    String material =
        "{\"publicKey\": {\"rawBytes\": \""
            + base64(Pem.publicKeyPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII))
            + "\", \"keyDetails\": \"PKIX_ECDSA_P256_SHA_256\"}}";
    write(file, material, payload, signature);
  }

  /** Writes a certificate-method bundle with {@code chain}, leaf first. */
  static void writeCertificateBundle(
      Path file, List<X509Certificate> chain, byte[] payload, byte[] signature) {
    List<String> certificates = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      certificates.add("{\"rawBytes\": \"" + base64(der(certificate)) + "\"}");
    }
    String material =
        "{\"x509CertificateChain\": {\"certificates\": [" + String.join(", ", certificates) + "]}}";
    write(file, material, payload, signature);
  }

  private static void write(Path file, String material, byte[] payload, byte[] signature) {
    String bundle =
        "{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\","
            + " \"verificationMaterial\": "
            + material
            + ", \"dsseEnvelope\": {\"payload\": \""
            + base64(payload)
            + "\", \"payloadType\": \"application/vnd.in-toto+json\","
            + " \"signatures\": [{\"sig\": \""
            + base64(signature)
            + "\", \"keyid\": null}]}}";
    try {
      Files.writeString(file, bundle, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> files(Path model) {
    if (!Files.isDirectory(model)) {
      return List.of(ModelFiles.SINGLE_FILE_NAME);
    }
    try (Stream<Path> paths = Files.walk(model)) {
      return paths
          .filter(Files::isRegularFile)
          .map(path -> model.relativize(path).toString().replace('\\', '/'))
          .filter(name -> !name.equals("model.sig"))
          .sorted(ResourceNames.CODE_POINT_ORDER)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
