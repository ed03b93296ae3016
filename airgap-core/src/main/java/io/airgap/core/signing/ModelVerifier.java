package io.airgap.core.signing;

import io.airgap.core.LogContext;
import io.airgap.core.digest.Digest;
import io.airgap.core.internal.BundleCodec;
import io.airgap.core.internal.ManifestComparison;
import io.airgap.core.internal.ModelFiles;
import io.airgap.core.internal.OmsStatement;
import io.airgap.core.internal.ResourceNames;
import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.ManifestDifferences;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a model against its OMS signature: the signature file is parsed strictly, the DSSE
 * signature is checked over the payload bytes as received (with the caller's public key, or with
 * the bundle's certificate chain validated against the caller's trust anchors), then every resource
 * is recomputed and compared. Signatures made by {@code model_signing} 0.2 (statement {@code
 * https://model_signing/Digests/v0.1}, signed over that release's faulty encoding) verify too; that
 * encoding is accepted for that statement only. Immutable and thread-safe.
 *
 * <pre>{@code
 * ModelVerifier verifier =
 *     ModelVerifier.builder().publicKey(Pem.readPublicKey(Path.of("signer.pub.pem"))).build();
 * VerificationReport report = verifier.verify(modelDir, modelDir.resolve("model.sig"));
 * }</pre>
 */
public final class ModelVerifier implements ModelSignatureVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(ModelVerifier.class);

  private final PublicKey publicKey;
  private final List<X509Certificate> trustAnchors;
  private final Clock clock;
  private final List<String> ignorePaths;
  private final boolean ignoreUnsignedFiles;
  private final int parallelism;
  private final long maxSignatureBytes;

  private ModelVerifier(Builder builder) {
    this.publicKey = builder.publicKey;
    this.trustAnchors = List.copyOf(builder.trustAnchors);
    this.clock = builder.clock;
    this.ignorePaths = List.copyOf(builder.ignorePaths);
    this.ignoreUnsignedFiles = builder.ignoreUnsignedFiles;
    this.parallelism = builder.parallelism;
    this.maxSignatureBytes = builder.maxSignatureBytes;
  }

  /** A builder; give either a public key or trust anchors. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks a model and reports every difference: a report with differences is returned, not thrown
   * (use {@link #verify(Path, Path)} to refuse). The signature itself must still verify.
   *
   * @param model the model directory or single file
   * @param signatureFile the OMS signature file
   * @throws io.airgap.core.FormatException when the signature file is malformed
   * @throws SignatureException when the signature does not verify or the signer is not trusted
   * @throws io.airgap.core.InputException when the model cannot be read
   */
  public VerificationReport check(Path model, Path signatureFile) {
    SignatureBundle bundle = BundleCodec.read(signatureFile, maxSignatureBytes);
    String where = "signature file " + signatureFile;
    Authenticated signed = authenticate(bundle, where);
    Manifest manifest =
        OmsStatement.decodeSigned(
            bundle.envelope().payload(), signed.overModelSigningV02Encoding(), where);
    Digest root = manifest.rootDigest();
    try (LogContext context =
        LogContext.model(manifest.modelName(), root.algorithm().omsName() + ":" + root.hex())) {
      List<String> ignored = new ArrayList<>(ignorePaths);
      if (Files.isDirectory(model)) {
        ModelFiles.relativeName(model, signatureFile).ifPresent(ignored::add);
      }
      ManifestDifferences differences =
          ManifestComparison.compare(manifest, model, ignored, ignoreUnsignedFiles, parallelism);
      VerificationReport report = new VerificationReport(manifest, signed.signer(), differences);
      LOG.info("{}", report.summary());
      return report;
    }
  }

  /**
   * Verifies a model against its one signature file and throws when it differs from what was
   * signed.
   *
   * @return the report of the verified model ({@link VerificationReport#verified()} is true)
   * @throws ManifestMismatchException carrying the report when any file differs
   * @throws SignatureException when the signature does not verify or the signer is not trusted
   * @throws io.airgap.core.FormatException when the signature file is malformed
   * @throws io.airgap.core.InputException when the model cannot be read
   */
  public VerificationReport verify(Path model, Path signatureFile) {
    VerificationReport report = check(model, signatureFile);
    if (!report.verified()) {
      throw new ManifestMismatchException(report);
    }
    return report;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A key or certificate verifier counts exactly one signature file.
   */
  @Override
  public VerificationReport verify(Path model, List<Path> signatureFiles) {
    if (signatureFiles.size() != 1) {
      throw new IllegalArgumentException(
          "a key or certificate verifier takes exactly one signature file, got "
              + signatureFiles.size()
              + "; several signers need a trust policy");
    }
    return verify(model, signatureFiles.get(0));
  }

  /** Always false: one key or one certificate chain signs. */
  @Override
  public boolean countsSeveralSignatures() {
    return false;
  }

  /**
   * Who signed, and whether the signature verified only over the faulty encoding of {@code
   * model_signing} 0.2 (then only that release's statement is accepted).
   */
  private record Authenticated(String signer, boolean overModelSigningV02Encoding) {}

  /** Checks the DSSE signature and returns a description of the signer. */
  private Authenticated authenticate(SignatureBundle bundle, String where) {
    if (bundle.usesCertificate()) {
      if (trustAnchors.isEmpty()) {
        throw new SignatureException(
            where
                + " is signed with a certificate; verify it against trust anchors"
                + " (certificate method), not a public key");
      }
      X509Certificate leaf =
          CertificateChains.validate(bundle.certificateChain(), trustAnchors, clock.instant());
      boolean legacy =
          requireSignature(
              bundle.envelope(),
              leaf.getPublicKey(),
              where,
              "certificate " + leaf.getSubjectX500Principal());
      return new Authenticated(
          "certificate "
              + leaf.getSubjectX500Principal()
              + " (issuer "
              + leaf.getIssuerX500Principal()
              + ")",
          legacy);
    }
    if (publicKey == null) {
      throw new SignatureException(
          where + " is signed with a bare key; verify it with a public key (key method)");
    }
    String hint = Pem.hint(publicKey);
    String keyName = "key " + hint + " (" + KeyType.of(publicKey).cliName() + ")";
    checkLegacyKey(bundle, hint, where);
    if (bundle.publicKeyHint() != null && !bundle.publicKeyHint().equalsIgnoreCase(hint)) {
      throw new SignatureException(
          where
              + " was signed by the key with hint "
              + ResourceNames.printable(bundle.publicKeyHint())
              + ", not by the given "
              + keyName);
    }
    return new Authenticated(
        keyName, requireSignature(bundle.envelope(), publicKey, where, keyName));
  }

  private static void checkLegacyKey(SignatureBundle bundle, String hint, String where) {
    byte[] legacy = bundle.legacyPublicKeyPem();
    if (legacy == null) {
      return;
    }
    PublicKey recorded =
        Pem.parsePublicKey(
            new String(legacy, StandardCharsets.US_ASCII), where + " publicKey.rawBytes");
    String recordedHint = Pem.hint(recorded);
    if (!recordedHint.equals(hint)) {
      throw new SignatureException(
          where
              + " was signed by the key with hint "
              + recordedHint
              + ", not by the given key "
              + hint);
    }
  }

  /**
   * Checks that one signature verifies over the DSSE encoding or, failing that, over the faulty
   * encoding {@code model_signing} 0.2 signed, with SHA-256 whatever the curve (as that release
   * did); returns whether only the latter verified.
   */
  private static boolean requireSignature(
      DsseEnvelope envelope, PublicKey key, String where, String keyName) {
    KeyType type = KeyType.of(key);
    byte[] signed = envelope.signedBytes();
    for (DsseEnvelope.Signature signature : envelope.signatures()) {
      if (type.verifies(key, signed, signature.bytes())) {
        return false;
      }
    }
    byte[] legacy = envelope.modelSigningV02SignedBytes();
    for (DsseEnvelope.Signature signature : envelope.signatures()) {
      if (type.verifiesWithSha256(key, legacy, signature.bytes())) {
        return true;
      }
    }
    throw new SignatureException(where + ": the DSSE signature does not verify with " + keyName);
  }

  /** Configures a {@link ModelVerifier}. Not thread-safe. */
  public static final class Builder {
    private PublicKey publicKey;
    private final List<X509Certificate> trustAnchors = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private final List<String> ignorePaths = new ArrayList<>();
    private boolean ignoreUnsignedFiles;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private long maxSignatureBytes = BundleCodec.DEFAULT_MAX_BYTES;

    private Builder() {}

    /** Verify key-method signatures with this public key. */
    public Builder publicKey(PublicKey publicKey) {
      KeyType.of(Objects.requireNonNull(publicKey, "publicKey"));
      if (this.publicKey != null) {
        throw new IllegalStateException("publicKey(...) is already set; give one key");
      }
      if (!trustAnchors.isEmpty()) {
        throw new IllegalStateException(
            "publicKey(...) conflicts with trustAnchors(...) given before; give one");
      }
      this.publicKey = publicKey;
      return this;
    }

    /**
     * Verify certificate-method signatures against these certificates; every one is trusted as an
     * anchor (no system store is ever consulted).
     */
    public Builder trustAnchors(Collection<X509Certificate> anchors) {
      Objects.requireNonNull(anchors, "trustAnchors");
      if (publicKey != null) {
        throw new IllegalStateException(
            "trustAnchors(...) conflicts with publicKey(...) given before; give one");
      }
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("at least one trust anchor is required");
      }
      trustAnchors.addAll(anchors);
      return this;
    }

    /** The clock that gives the verification time for certificate validity; default UTC now. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Relative names to leave out besides the defaults and those the signature records. */
    public Builder ignorePaths(Collection<String> ignorePaths) {
      for (String path : Objects.requireNonNull(ignorePaths, "ignorePaths")) {
        this.ignorePaths.add(Objects.requireNonNull(path, "an ignored path"));
      }
      return this;
    }

    /** Hash only the files the signature names and do not report unsigned files. */
    public Builder ignoreUnsignedFiles(boolean ignoreUnsignedFiles) {
      this.ignoreUnsignedFiles = ignoreUnsignedFiles;
      return this;
    }

    /** Hashing threads; default one per available processor. */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /** The largest signature file accepted, in bytes; default 8 MiB. */
    public Builder maxSignatureBytes(long maxSignatureBytes) {
      if (maxSignatureBytes < 1024) {
        throw new IllegalArgumentException(
            "signature size limit must be at least 1024 bytes, got " + maxSignatureBytes);
      }
      this.maxSignatureBytes = maxSignatureBytes;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @throws IllegalStateException unless exactly one of a public key and trust anchors is set
     */
    public ModelVerifier build() {
      if ((publicKey == null) == trustAnchors.isEmpty()) {
        throw new IllegalStateException("give a public key or trust anchors");
      }
      return new ModelVerifier(this);
    }
  }
}
