package io.airgap.testing;

import io.airgap.core.internal.ResourceNames;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model directory written and signed for a test: {@code model.onnx} plus any other files, signed
 * into {@code model.sig} (OMS v1.0, key method) with a key generated for it or given.
 *
 * <pre>{@code
 * SignedModelFixture model = SignedModelFixture.builder(tmp.resolve("clf"))
 *     .onnx(OnnxModelBuilder.identity())
 *     .file("labels.txt", "cat\ndog\n")
 *     .write();
 * VerifiedModel loaded = VerifiedModel.builder(model.directory())
 *     .verifier(model.verifier()).workDirectory(tmp.resolve("work")).load();
 * }</pre>
 *
 * <p>Immutable and thread-safe once written.
 */
public final class SignedModelFixture {
  /** The file the ONNX bytes are written to. */
  public static final String MODEL_FILE = "model.onnx";

  /** The signature file, inside the model directory. */
  public static final String SIGNATURE_FILE = "model.sig";

  private final Path directory;
  private final SigningKey key;

  private SignedModelFixture(Path directory, SigningKey key) {
    this.directory = directory;
    this.key = key;
  }

  /** A builder that writes the model into {@code directory} (created if missing). */
  public static Builder builder(Path directory) {
    return new Builder(Objects.requireNonNull(directory, "directory"));
  }

  /** The signed model directory. */
  public Path directory() {
    return directory;
  }

  /** The signature file, {@code directory()/model.sig}. */
  public Path signature() {
    return directory.resolve(SIGNATURE_FILE);
  }

  /** The key the model was signed with. */
  public SigningKey key() {
    return key;
  }

  /** A verifier that accepts this model's signature: the public half of {@link #key()}. */
  public ModelVerifier verifier() {
    return ModelVerifier.builder().publicKey(key.publicKey()).build();
  }

  /** Writes and signs a model directory. Not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private SigningKey key;

    private Builder(Path directory) {
      this.directory = directory;
    }

    /** The ONNX model, written as {@code model.onnx}. */
    public Builder onnx(byte[] onnx) {
      return file(MODEL_FILE, onnx);
    }

    /** Another file of the model, such as a tokenizer or a label list, as UTF-8 text. */
    public Builder file(String relativePath, String content) {
      return file(relativePath, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Another file of the model, as bytes; {@code relativePath} may name subdirectories.
     *
     * @throws io.airgap.core.FormatException when the path is not a model file name (absolute,
     *     {@code ..}, backslash, NUL...), by the rule every signed model follows
     */
    public Builder file(String relativePath, byte[] content) {
      Objects.requireNonNull(relativePath, "relativePath");
      Objects.requireNonNull(content, "content");
      // The rule every model file name follows: relative, '/'-separated, no "..", no NUL.
      ResourceNames.check(relativePath, "fixture file");
      if (relativePath.equals(SIGNATURE_FILE)) {
        throw new IllegalArgumentException(SIGNATURE_FILE + " is written by the signer");
      }
      if (files.put(relativePath, content.clone()) != null) {
        throw new IllegalArgumentException("file " + relativePath + " given twice");
      }
      return this;
    }

    /** Signs with this key instead of a new ECDSA P-256 key. */
    public Builder key(SigningKey key) {
      Objects.requireNonNull(key, "key");
      if (this.key != null) {
        throw new IllegalStateException("key(...) is already set; a model is signed with one key");
      }
      this.key = key;
      return this;
    }

    /** Writes the files, signs the directory and returns the fixture. */
    public SignedModelFixture write() {
      if (files.isEmpty()) {
        throw new IllegalStateException("a model needs at least one file: call onnx() or file()");
      }
      SigningKey signer = key != null ? key : Pem.generate(KeyType.ECDSA_P256);
      try {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
          Path target = directory.resolve(file.getKey());
          Files.createDirectories(target.getParent());
          Files.write(target, file.getValue());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the model into " + directory, e);
      }
      ModelSigner.builder()
          .key(signer)
          .build()
          .sign(
              directory,
              directory.resolve(SIGNATURE_FILE),
              ModelHasher.builder().build(),
              List.of());
      return new SignedModelFixture(directory, signer);
    }
  }
}
