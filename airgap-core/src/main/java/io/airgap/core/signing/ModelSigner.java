package io.airgap.core.signing;

import io.airgap.core.AirgapException;
import io.airgap.core.AtomicFiles;
import io.airgap.core.InputException;
import io.airgap.core.internal.BundleCodec;
import io.airgap.core.internal.Dsse;
import io.airgap.core.internal.ModelFiles;
import io.airgap.core.internal.OmsStatement;
import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.ModelHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs model manifests as OMS v1.0 signature files, by the key method (the verifier holds the
 * public key) or the certificate method (the bundle carries the signing certificate and its chain).
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ModelSigner signer = ModelSigner.builder().key(Pem.readSigningKey(keyPath, null)).build();
 * signer.sign(modelDir, modelDir.resolve("model.sig"), ModelHasher.builder().build(), List.of());
 * }</pre>
 */
public final class ModelSigner {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSigner.class);

  /** The longest subject name a signer writes. */
  public static final int MAX_MODEL_NAME_LENGTH = 256;

  private final SigningKey key;
  private final List<X509Certificate> certificateChain;
  private final String modelName;

  private ModelSigner(Builder builder) {
    this.key = builder.key;
    this.certificateChain = List.copyOf(builder.certificateChain);
    this.modelName = builder.modelName;
  }

  /** A builder; {@link Builder#key(SigningKey)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Signs a manifest and returns the bundle, without writing anything. A model name given to the
   * builder replaces the manifest's.
   */
  public SignatureBundle sign(Manifest manifest) {
    byte[] payload = OmsStatement.encode(named(manifest));
    byte[] signature =
        key.type().sign(key.privateKey(), Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
    DsseEnvelope envelope =
        new DsseEnvelope(
            Dsse.IN_TOTO_PAYLOAD_TYPE, payload, List.of(new DsseEnvelope.Signature("", signature)));
    if (certificateChain.isEmpty()) {
      return new SignatureBundle(envelope, Pem.hint(key.publicKey()), null, List.of());
    }
    return new SignatureBundle(envelope, null, null, certificateChain);
  }

  /**
   * Hashes a model, signs its manifest and writes the signature file atomically: a crash or an
   * error leaves either no file or the complete one, never part of it.
   *
   * @param model the model directory or single file
   * @param signatureFile where to write; when inside the model it is left out of the manifest
   * @param hasher how to hash (method, hash, shard size, symlinks)
   * @param ignorePaths relative names to leave out besides the defaults
   * @return the written bundle
   */
  public SignatureBundle sign(
      Path model, Path signatureFile, ModelHasher hasher, Collection<String> ignorePaths) {
    List<String> ignored = new ArrayList<>(ignorePaths);
    if (Files.isDirectory(model)) {
      ModelFiles.relativeName(model, signatureFile).ifPresent(ignored::add);
    }
    Manifest manifest = named(hasher.hash(model, ignored));
    SignatureBundle bundle = sign(manifest);
    byte[] bytes = BundleCodec.write(bundle);
    if (bytes.length > BundleCodec.DEFAULT_MAX_BYTES) {
      // Verifiers refuse larger files by default; never write one they would reject.
      throw new InputException(
          "the signature of "
              + model
              + " would be "
              + bytes.length
              + " bytes, above the "
              + BundleCodec.DEFAULT_MAX_BYTES
              + " bytes verifiers accept; sign fewer files at once or use larger shards");
    }
    AtomicFiles.write(signatureFile, bytes);
    LOG.info(
        "signed model {} ({} resources, root sha256:{}) into {}",
        manifest.modelName(),
        manifest.resources().size(),
        manifest.rootDigest().hex(),
        signatureFile);
    return bundle;
  }

  private Manifest named(Manifest manifest) {
    return modelName == null
        ? manifest
        : new Manifest(modelName, manifest.serialization(), manifest.resources());
  }

  /** Configures a {@link ModelSigner}. Not thread-safe. */
  public static final class Builder {
    private SigningKey key;
    private final List<X509Certificate> certificateChain = new ArrayList<>();
    private boolean allowEd25519;
    private String modelName;

    private Builder() {}

    /** The signing key (required). */
    public Builder key(SigningKey key) {
      Objects.requireNonNull(key, "key");
      if (this.key != null) {
        throw new IllegalStateException("key(...) is already set; a signer signs with one key");
      }
      this.key = key;
      return this;
    }

    /**
     * Switches to the certificate method: the signing certificate (whose public key must be the
     * signing key's) and the chain up to, but not necessarily including, the root.
     */
    public Builder certificate(X509Certificate signingCertificate, List<X509Certificate> chain) {
      certificateChain.clear();
      certificateChain.add(Objects.requireNonNull(signingCertificate, "signingCertificate"));
      certificateChain.addAll(chain);
      return this;
    }

    /**
     * The name the signature gives the model (the in-toto subject name), for example {@code
     * fraud/detector}; by default the model directory's or file's name, as the OMS tools write it.
     * A trust policy chooses the role by this name, and a verifier that is told which model it
     * deploys counts only signatures that name it, so a signature made for one model cannot be
     * replayed as another.
     *
     * @throws IllegalArgumentException when the name is empty, longer than {@value
     *     #MAX_MODEL_NAME_LENGTH} characters, has a control character or surrounding spaces
     */
    public Builder modelName(String name) {
      Objects.requireNonNull(name, "name");
      String problem = modelNameProblem(name);
      if (problem != null) {
        throw new IllegalArgumentException("model name '" + name + "' " + problem);
      }
      this.modelName = name;
      return this;
    }

    private static String modelNameProblem(String name) {
      if (name.isEmpty()) {
        return "is empty";
      }
      if (name.length() > MAX_MODEL_NAME_LENGTH) {
        return "is longer than " + MAX_MODEL_NAME_LENGTH + " characters";
      }
      if (!name.strip().equals(name)) {
        return "starts or ends with a space";
      }
      if (name.chars().anyMatch(Character::isISOControl)) {
        return "holds a control character";
      }
      return null;
    }

    /**
     * Allows Ed25519 keys. Ed25519 is an airgap extension: OMS v1.0 verifiers other than airgap
     * reject such signatures.
     */
    public Builder allowEd25519(boolean allowEd25519) {
      this.allowEd25519 = allowEd25519;
      return this;
    }

    /**
     * Builds the signer.
     *
     * @throws IllegalStateException when no key was given
     * @throws AirgapException when Ed25519 was not allowed or the certificate is for another key
     */
    public ModelSigner build() {
      if (key == null) {
        throw new IllegalStateException("a signing key is required");
      }
      if (key.type() == KeyType.ED25519 && !allowEd25519) {
        throw new AirgapException(
            "Ed25519 signatures are an airgap extension that other OMS verifiers reject;"
                + " allow them explicitly (allowEd25519) or use an ECDSA key");
      }
      if (!certificateChain.isEmpty()
          && !java.util.Arrays.equals(
              certificateChain.get(0).getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
        throw new AirgapException(
            "the signing certificate "
                + certificateChain.get(0).getSubjectX500Principal()
                + " is for another key than the private key given");
      }
      return new ModelSigner(this);
    }
  }
}
