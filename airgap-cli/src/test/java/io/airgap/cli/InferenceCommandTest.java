package io.airgap.cli;

import static io.airgap.cli.CommandRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.inference.ElementType;
import io.airgap.inference.Npy;
import io.airgap.inference.Tensor;
import io.airgap.testing.OnnxModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model inspect, run and doctor from the command line. */
class InferenceCommandTest {
  @TempDir Path temp;

  /** A signed model computing sum = a + b over float [batch, 2]. */
  private Path signedModel() throws Exception {
    return signed(
        "adder",
        OnnxModelBuilder.named("adder")
            .input("a", ElementType.FLOAT, "batch", 2L)
            .input("b", ElementType.FLOAT, "batch", 2L)
            .output("sum", ElementType.FLOAT, "batch", 2L)
            .node("Add", new String[] {"a", "b"}, "sum")
            .metadata("owner", "risk-team"));
  }

  /** Writes {@code graph} as {@code NAME/model.onnx} and signs it with a new key {@code k}. */
  private Path signed(String name, OnnxModelBuilder graph) throws Exception {
    Path model = Files.createDirectories(temp.resolve(name));
    Files.write(model.resolve("model.onnx"), graph.build());
    run("key", "generate", "--out", temp.resolve("k"));
    assertThat(run("sign", "key", model, "--private-key", temp.resolve("k.pem")).code()).isZero();
    return model;
  }

  @Test
  void inspectVerifiesThenDescribes() throws Exception {
    Path model = signedModel();

    CommandRunner.Result result =
        run("model", "inspect", model, "--public-key", temp.resolve("k.pub.pem"));

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .startsWith("model:    adder\ndigest:   sha256:")
        .contains("\nfile:     model.onnx\n")
        .contains("\ninput:    a: float [batch, 2]\ninput:    b: float [batch, 2]\n")
        .contains("\noutput:   sum: float [batch, 2]\n")
        .contains("\nmetadata: custom.owner = risk-team\n");
  }

  @Test
  void runWritesNpyOutputs() throws Exception {
    Path model = signedModel();
    Npy.write(temp.resolve("a.npy"), Tensor.ofFloats(new long[] {1, 2}, 1, 2));
    Npy.write(temp.resolve("b.npy"), Tensor.ofFloats(new long[] {1, 2}, 10, 20));

    CommandRunner.Result result =
        run(
            "run",
            model,
            "--public-key",
            temp.resolve("k.pub.pem"),
            "--input",
            "a=" + temp.resolve("a.npy"),
            "--input",
            "b=" + temp.resolve("b.npy"),
            "--out",
            temp.resolve("out"));

    assertThat(result.code()).isZero();
    assertThat(result.err())
        .contains(" verified, running on CPUExecutionProvider\n")
        .endsWith("output sum float [1, 2] -> " + temp.resolve("out/sum.npy") + "\n");
    assertThat(Npy.read(temp.resolve("out/sum.npy")).floats()).containsExactly(11, 22);
  }

  @Test
  void outputNamesFromTheModelNeverLeaveTheOutputDirectory() throws Exception {
    Path model =
        signed(
            "names",
            OnnxModelBuilder.named("names")
                .input("a", ElementType.FLOAT, "batch", 2L)
                .output("../up", ElementType.FLOAT, "batch", 2L)
                .output("/tmp/abs", ElementType.FLOAT, "batch", 2L)
                .output("Identity:0", ElementType.FLOAT, "batch", 2L)
                .node("Identity", new String[] {"a"}, "../up")
                .node("Identity", new String[] {"a"}, "/tmp/abs")
                .node("Identity", new String[] {"a"}, "Identity:0"));
    Npy.write(temp.resolve("a.npy"), Tensor.ofFloats(new long[] {1, 2}, 1, 2));
    Path out = temp.resolve("work/out");

    CommandRunner.Result result =
        run(
            "run",
            model,
            "--public-key",
            temp.resolve("k.pub.pem"),
            "--input",
            "a=" + temp.resolve("a.npy"),
            "--out",
            out);

    assertThat(result.code()).isZero();
    try (java.util.stream.Stream<Path> written = Files.list(out)) {
      assertThat(written.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("%2E.%2Fup.npy", "%2Ftmp%2Fabs.npy", "Identity%3A0.npy");
    }
    assertThat(temp.resolve("work/up.npy")).doesNotExist();
    assertThat(Npy.read(out.resolve("Identity%3A0.npy")).floats()).containsExactly(1, 2);
  }

  @Test
  void outputsThatDifferOnlyInCaseAreRefusedBeforeAnythingIsWritten() throws Exception {
    Path model =
        signed(
            "cased",
            OnnxModelBuilder.named("cased")
                .input("a", ElementType.FLOAT, "batch", 2L)
                .output("Logits", ElementType.FLOAT, "batch", 2L)
                .output("logits", ElementType.FLOAT, "batch", 2L)
                .node("Identity", new String[] {"a"}, "Logits")
                .node("Identity", new String[] {"a"}, "logits"));
    Npy.write(temp.resolve("a.npy"), Tensor.ofFloats(new long[] {1, 2}, 1, 2));

    CommandRunner.Result result =
        run(
            "run",
            model,
            "--public-key",
            temp.resolve("k.pub.pem"),
            "--input",
            "a=" + temp.resolve("a.npy"),
            "--out",
            temp.resolve("cased-out"));

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .endsWith(
            "airgap: outputs 'Logits' and 'logits' of model cased differ only in case; their files"
                + " would be one on a case-insensitive file system\n");
    assertThat(temp.resolve("cased-out")).doesNotExist();
  }

  @Test
  void anInputGivenTwiceIsAUsageError() throws Exception {
    Path model = signedModel();
    Npy.write(temp.resolve("a.npy"), Tensor.ofFloats(new long[] {1, 2}, 1, 2));

    CommandRunner.Result twice =
        run(
            "run",
            model,
            "--public-key",
            temp.resolve("k.pub.pem"),
            "--input",
            "a=" + temp.resolve("a.npy"),
            "--input",
            "a=" + temp.resolve("a.npy"));
    CommandRunner.Result unnamed =
        run("run", model, "--public-key", temp.resolve("k.pub.pem"), "--input", "a.npy");

    assertThat(twice.code()).isEqualTo(2);
    assertThat(twice.err()).startsWith("--input a is given twice\n");
    assertThat(unnamed.code()).isEqualTo(2);
    assertThat(unnamed.err()).startsWith("--input must be NAME=FILE.npy, not 'a.npy'\n");
  }

  @Test
  void outputFileNamesAreEncodedOneToOne() {
    assertThat(RunCommand.fileName("sentence_embedding", "m")).isEqualTo("sentence_embedding.npy");
    assertThat(RunCommand.fileName("last-hidden.state", "m")).isEqualTo("last-hidden.state.npy");
    assertThat(RunCommand.fileName(".hidden", "m")).isEqualTo("%2Ehidden.npy");
    assertThat(RunCommand.fileName("a%2F", "m")).isEqualTo("a%252F.npy");
    assertThat(RunCommand.fileName("a/", "m")).isEqualTo("a%2F.npy");
    assertThat(RunCommand.fileName("é", "m")).isEqualTo("%C3%A9.npy");
    assertThat(RunCommand.fileName("NUL", "m")).isEqualTo("%4EUL.npy");
    assertThat(RunCommand.fileName("com1.x", "m")).isEqualTo("%63om1.x.npy");
    assertThat(RunCommand.fileName("console", "m")).isEqualTo("console.npy");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RunCommand.fileName("x".repeat(197), "m"))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessage(
            "output '"
                + "x".repeat(197)
                + "' makes a file name of 201 characters, above 200 (model m)");
  }

  @Test
  void runRefusesATamperedModelAndBadInputs() throws Exception {
    Path model = signedModel();
    Npy.write(temp.resolve("a.npy"), Tensor.ofFloats(new long[] {1, 3}, 1, 2, 3));

    CommandRunner.Result badInput =
        run(
            "run",
            model,
            "--public-key",
            temp.resolve("k.pub.pem"),
            "--input",
            "a=" + temp.resolve("a.npy"));
    Files.writeString(model.resolve("notes.txt"), "added later");
    CommandRunner.Result tampered =
        run(
            "run",
            model,
            "--public-key",
            temp.resolve("k.pub.pem"),
            "--input",
            "a=" + temp.resolve("a.npy"));

    assertThat(badInput.code()).isEqualTo(3);
    assertThat(badInput.err())
        .endsWith(
            "airgap: inputs do not match model adder: input a dimension 1 must be 2 (float [batch,"
                + " 2]), got float [1, 3]; missing input b: float [batch, 2]\n");
    assertThat(tampered.code()).isEqualTo(1);
    assertThat(tampered.err()).contains("notes.txt");
  }

  @Test
  void doctorReportsTheCpuPath() {
    CommandRunner.Result result = run("doctor");

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .contains("ok   ONNX Runtime ")
        .contains("ok   CPU provider starts")
        .contains("native libraries unpacked into java.io.tmpdir");
  }

  @Test
  void doctorFailsOnAStoreThatDoesNotVerifyAndALockItCannotRead() throws Exception {
    Path store = temp.resolve("store");
    io.airgap.deps.ContentStore.openOrCreate(store);
    Files.writeString(store.resolve("index.json"), "{ not json");
    Path lock = temp.resolve("airgap.lock.json");
    Files.writeString(lock, "{\"schemaVersion\": 1, \"artifacts\": [], \"extra\": 1}");

    CommandRunner.Result result = run("doctor", "--lock", lock, "--store", store);

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out())
        .contains("ok   CPU provider starts")
        .containsPattern(
            "FAIL lockfile "
                + java.util.regex.Pattern.quote(lock.toString())
                + " +"
                + java.util.regex.Pattern.quote(lock + ": unknown field 'extra'"))
        .containsPattern(
            "FAIL content store "
                + java.util.regex.Pattern.quote(store.toString())
                + " +"
                + java.util.regex.Pattern.quote(
                    store.resolve("index.json") + " is not valid JSON"));
  }

  @Test
  void doctorPassesAStoreHoldingTheLock() throws Exception {
    Path store = temp.resolve("store");
    Path files = Files.createDirectories(temp.resolve("files"));
    Files.writeString(files.resolve("vocab.txt"), "a\nb\n");
    io.airgap.deps.LockedArtifact vocab =
        new io.airgap.deps.LockedArtifact(
            "vocab",
            io.airgap.deps.ArtifactKind.FILE,
            new io.airgap.deps.ArtifactSource("directory", java.util.Map.of("path", "vocab")),
            java.util.List.of(
                new io.airgap.deps.LockedFile(
                    "vocab.txt",
                    4,
                    "911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2")));
    io.airgap.deps.ContentStore.openOrCreate(store).add(vocab, files);
    Path lock = temp.resolve("airgap.lock.json");
    new io.airgap.deps.Lockfile(java.util.List.of(vocab)).write(lock);

    CommandRunner.Result result = run("doctor", "--lock", lock, "--store", store);

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .containsPattern(
            "ok   lockfile " + java.util.regex.Pattern.quote(lock.toString()) + " +1 artifacts")
        .containsPattern(
            "ok   content store "
                + java.util.regex.Pattern.quote(store.toString())
                + " +1 artifacts, every blob verified")
        .containsPattern("ok   lock resolves offline +every locked artifact is in the store");
  }
}
