package io.airgap.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.audit.TlogProof;
import io.airgap.deps.LockedArtifact;
import io.airgap.drift.monitor.DriftMonitor;
import io.airgap.inference.InferenceSession;
import io.airgap.inference.NativeRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every sample runs and sees exactly what its Javadoc promises. */
class SamplesTest {
  /** The sample model's root digest: training is deterministic, so it never changes. */
  private static final String SAMPLE_DIGEST =
      "sha256:d94a3ed19d798bc9a9f782ded85322af2606a830eb1a26e220169e1777a8c9dc";

  private static final List<String> SHIFTED_FEATURES =
      List.of("petal_length", "petal_width", "p_setosa", "p_versicolor", "p_virginica");

  @TempDir Path work;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void signAndVerifyCatchesTheChangedFile() throws Exception {
    SignAndVerify.Outcome outcome = SignAndVerify.run(work, out);

    assertThat(outcome.digest()).isEqualTo(SAMPLE_DIGEST);
    assertThat(outcome.verified()).isTrue();
    assertThat(outcome.modifiedAfterTampering()).containsExactly("config.json");
  }

  @Test
  void trustPolicyNeedsTwoOfThreeSigners() {
    TrustPolicyTwoOfThree.Outcome outcome = TrustPolicyTwoOfThree.run(work, out);

    assertThat(outcome.oneSignature().verified()).isFalse();
    assertThat(outcome.oneSignature().countedKeys()).hasSize(1);
    assertThat(outcome.oneSignature().threshold()).isEqualTo(2);
    assertThat(outcome.twoSignatures().verified()).isTrue();
    assertThat(outcome.twoSignatures().countedKeys()).hasSize(2);
    assertThat(outcome.twoSignatures().role()).isEqualTo("iris");
  }

  @Test
  void bundleCarriesTheSignedModelAcross() {
    BundleAcrossTheGap.Outcome outcome = BundleAcrossTheGap.run(work, out);

    assertThat(outcome.imported()).extracting(LockedArtifact::name).containsExactly("iris");
    assertThat(outcome.model().verified()).isTrue();
    assertThat(outcome.model().resourcesChecked()).isEqualTo(2);
    assertThat(outcome.deployed()).isEqualTo(work.resolve("isolated/deploy/iris"));
    assertThat(Files.isRegularFile(outcome.bundle())).isTrue();
  }

  @Test
  void verifiedInferenceClassifiesTheBatchAndSaysWhereItRan() {
    VerifiedInference.Outcome outcome = VerifiedInference.run(work, out);

    assertThat(outcome.rows()).isEqualTo(75);
    assertThat(outcome.correct()).isEqualTo(74);
    assertThat(outcome.provider())
        .isEqualTo(
            outcome.fallbackReason() == null
                ? InferenceSession.CUDA_PROVIDER
                : InferenceSession.CPU_PROVIDER);
    assertThat(printed()).contains("classified 75 flowers, 74 correctly");
  }

  @Test
  void driftMonitoringSeesTheRecalibratedSensor() throws Exception {
    DriftMonitoring.Outcome outcome = DriftMonitoring.run(work, out);

    assertThat(outcome.decisions())
        .extracting(DriftMonitor.Decision::drifted)
        .containsExactly(false, true);
    assertThat(outcome.decisions().get(0).driftedFeatures()).isEmpty();
    assertThat(outcome.decisions().get(1).driftedFeatures()).isEqualTo(SHIFTED_FEATURES);
    assertThat(Files.readString(outcome.htmlReport())).startsWith("<!DOCTYPE html>");
    assertThat(printed()).contains("holds 2 entries");
  }

  @Test
  void auditTrailExportsAProofTheAuditorChecks() throws Exception {
    AuditTrail.Outcome outcome = AuditTrail.run(work, out);

    assertThat(outcome.verified().size()).isEqualTo(3);
    assertThat(outcome.proven().size()).isEqualTo(3);
    assertThat(outcome.proven().origin()).isEqualTo("samples.airgap.local/audit");
    assertThat(Files.readString(outcome.proof())).startsWith(TlogProof.HEADER);
  }

  @Test
  void quickstartRunsTheWholeChainAndLeavesTheEvidence() throws Exception {
    String nativePath = System.getProperty(NativeRuntime.NATIVE_PATH);
    try {
      Quickstart.Outcome outcome = Quickstart.run(work, out);

      assertThat(outcome.rows()).isEqualTo(75);
      assertThat(outcome.correct()).isEqualTo(74);
      assertThat(outcome.decisions())
          .extracting(DriftMonitor.Decision::drifted)
          .containsExactly(false, true);
      assertThat(outcome.decisions().get(1).driftedFeatures()).isEqualTo(SHIFTED_FEATURES);
      assertThat(outcome.auditedActions())
          .containsExactly(
              "model.sign",
              "deps.lock",
              "bundle.create",
              "bundle.verify",
              "bundle.import",
              "deps.resolve",
              "model.load", // the validation session that profiles the reference
              "model.close",
              "model.load", // the serving session
              "drift.window", // the classified batch fills the first window
              "model.run",
              "drift.window",
              "model.close");
      assertThat(outcome.log().size()).isEqualTo(13);
      for (String file :
          List.of(
              "signer.pub.pem",
              "audit.vkey",
              "connected/mirror/models/iris/model.sig",
              "connected/airgap.lock.json",
              "transfer/airgap-bundle.tar",
              "drift-report.html",
              "model-load.tlog-proof",
              "model-load.tlog-proof.entry")) {
        assertThat(work.resolve(file)).isRegularFile();
      }
      assertThat(printed()).contains("quickstart passed: 75 flowers classified on ");
      // one batch of 75, then the shifted flowers 5 at a time
      assertThat(printed())
          .containsPattern(
              "meters: airgap.inference.run 16 runs \\(mean \\d+ us\\), airgap.verifications 2 model"
                  + " loads, airgap.audit.log.entries 13, airgap.drift.windows 1 drifted of 2");
    } finally {
      restore(NativeRuntime.NATIVE_PATH, nativePath);
    }
  }

  @Test
  void quickstartWithoutTheOnnxRuntimeJarAtHandBundlesTheModelAlone() throws Exception {
    String repository = System.getProperty("maven.repo.local");
    String nativePath = System.getProperty(NativeRuntime.NATIVE_PATH);
    System.setProperty(
        "maven.repo.local", Files.createDirectory(work.resolve("empty-m2")).toString());
    try {
      Quickstart.Outcome outcome =
          Quickstart.run(Files.createDirectory(work.resolve("chain")), out);

      assertThat(printed())
          .contains(
              "(ONNX Runtime's jar is not in the local Maven repository: bundling the model only)")
          .doesNotContain(NativeRuntime.NATIVE_PATH + "=");
      assertThat(
              io.airgap.deps.Lockfile.read(work.resolve("chain/connected/airgap.lock.json"))
                  .artifacts())
          .extracting(LockedArtifact::name)
          .containsExactly("iris");
      assertThat(outcome.correct()).isEqualTo(74);
      assertThat(outcome.decisions())
          .extracting(DriftMonitor.Decision::drifted)
          .containsExactly(false, true);
    } finally {
      restore("maven.repo.local", repository);
      restore(NativeRuntime.NATIVE_PATH, nativePath);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
