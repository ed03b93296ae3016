package io.airgap.samples;

import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.core.signing.VerificationReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Sign a model directory (OpenSSF Model Signing v1.0, readable by the Python {@code model_signing}
 * tool), verify it, then change one file and watch verification name it.
 */
public final class SignAndVerify {
  private SignAndVerify() {}

  /**
   * What the sample saw.
   *
   * @param digest the signed root digest
   * @param verified whether the untouched model verified
   * @param modifiedAfterTampering the files verification named after one was changed
   */
  public record Outcome(String digest, boolean verified, List<String> modifiedAfterTampering) {}

  /** Runs in a fresh temporary workspace. */
  public static void main(String[] args) throws IOException {
    run(Workspace.fresh("sign-and-verify"), System.out);
  }

  /** Runs in {@code work}, telling {@code out} what happens. */
  public static Outcome run(Path work, PrintStream out) throws IOException {
    Path model = SampleModel.write(work.resolve("iris"));
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    Files.writeString(work.resolve("signer.pub.pem"), Pem.publicKeyPem(key.publicKey()));

    Path signature = model.resolve("model.sig");
    ModelSigner.builder()
        .key(key)
        .build()
        .sign(model, signature, ModelHasher.builder().build(), List.of());
    out.println("signed " + model + " into " + signature);

    ModelVerifier verifier = ModelVerifier.builder().publicKey(key.publicKey()).build();
    VerificationReport report = verifier.check(model, signature);
    out.println("verify: " + report.summary());

    Files.writeString(model.resolve("config.json"), " ", StandardOpenOption.APPEND);
    VerificationReport tampered = verifier.check(model, signature);
    out.println("after changing config.json: " + tampered.summary());

    return new Outcome(
        "sha256:" + report.rootDigest().hex(), report.verified(), tampered.modifiedFiles());
  }
}
