package io.airgap.cli;

import static io.airgap.cli.CommandRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code airgap} command end to end: outputs, files and exit codes. */
class AirgapCommandTest {
  /** The model_signing vectors live once, in airgap-core's test resources (see their README). */
  private static final Path VECTORS = Path.of(System.getProperty("oms.vectors"));

  @TempDir Path temp;

  private Path model() throws Exception {
    Path model = temp.resolve("model");
    Files.createDirectories(model.resolve("weights"));
    Files.writeString(model.resolve("config.json"), "{}");
    Files.writeString(model.resolve("weights/w.bin"), "weights".repeat(50));
    return model;
  }

  private Path copyVector(String name) throws Exception {
    Path target = temp.resolve(name);
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(VECTORS.resolve(name))) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName().toString()));
        target.resolve(file.getFileName().toString()).toFile().setWritable(true);
      }
    }
    return target;
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-elliptic-key", "v1.0.1-elliptic-key"})
  void verifyKeyAcceptsModelSigningVectors(String name) {
    Path model = VECTORS.resolve(name);

    CommandRunner.Result result =
        run(
            "verify",
            "key",
            model,
            "--public-key",
            VECTORS.resolve("keys/signing-key-pub.pem"),
            "--ignore-paths",
            model.resolve("ignore-me"));

    assertThat(result.code()).isZero();
    assertThat(result.err())
        .isEqualTo(
            "model "
                + name
                + " verified: 2 resources match root"
                + " sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4, signed by key"
                + " e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e (ecdsa-p384)\n");
  }

  @Test
  void verifyKeyAcceptsTheSingleFileVectorWithItsSiblingSignature() {
    CommandRunner.Result result =
        run(
            "verify",
            "key",
            VECTORS.resolve("v0.3.1-elliptic-key/signme-1"),
            "--public-key",
            VECTORS.resolve("keys/signing-key-pub.pem"));

    assertThat(result.code()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-certificate", "v1.0.1-certificate"})
  void verifyCertificateAcceptsModelSigningVectors(String name) {
    Path model = VECTORS.resolve(name);

    CommandRunner.Result result =
        run(
            "verify",
            "certificate",
            model,
            "--certificate-chain",
            VECTORS.resolve("keys/ca-cert.pem"),
            "--ignore-paths",
            model.resolve("ignore-me"),
            "--verification-time",
            "2026-01-01T00:00:00Z");

    assertThat(result.code()).isZero();
  }

  @Test
  void tamperedVectorExitsOneWithAJsonReport() throws Exception {
    Path model = copyVector("v1.1.0-elliptic-key");
    Files.writeString(model.resolve("signme-2"), "changed");

    CommandRunner.Result result =
        run(
            "verify",
            "key",
            model,
            "--public-key",
            VECTORS.resolve("keys/signing-key-pub.pem"),
            "--json");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out())
        .isEqualTo(
            """
            {
              "verified": false,
              "model": "v1.1.0-elliptic-key",
              "rootDigest": "sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4",
              "signer": "key e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e (ecdsa-p384)",
              "method": "files",
              "hashType": "sha256",
              "resourcesChecked": 2,
              "missingFiles": [],
              "extraFiles": [],
              "modifiedFiles": [
                "signme-2"
              ],
              "mismatchedShards": [],
              "refusedEntries": []
            }
            """);
    assertThat(result.err())
        .isEqualTo("model v1.1.0-elliptic-key does not match its signature: modified [signme-2]\n");
  }

  @Test
  void symlinkSwappedInExitsOneAndIsReported() throws Exception {
    Path model = model();
    run("key", "generate", "--out", temp.resolve("k"));
    run("sign", "key", model, "--private-key", temp.resolve("k.pem"));
    Path elsewhere = Files.writeString(temp.resolve("elsewhere.json"), "{}");
    Files.delete(model.resolve("config.json"));
    Files.createSymbolicLink(model.resolve("config.json"), elsewhere);

    CommandRunner.Result result =
        run("verify", "key", model, "--public-key", temp.resolve("k.pub.pem"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "model model does not match its signature: refused ['config.json' is a symbolic link;"
                + " links are refused unless allowed (--allow-symlinks)]\n");
  }

  @Test
  void ignorePathsRepeatsAndLeavesModelPathPositional() throws Exception {
    Path model = model();
    Files.writeString(model.resolve("notes.txt"), "n");
    Files.writeString(model.resolve("draft.txt"), "d");
    run("key", "generate", "--out", temp.resolve("k"));

    CommandRunner.Result signed =
        run(
            "sign",
            "key",
            "--ignore-paths",
            model.resolve("notes.txt"),
            model,
            "--ignore-paths",
            model.resolve("draft.txt"),
            "--private-key",
            temp.resolve("k.pem"));
    CommandRunner.Result verified =
        run("verify", "key", model, "--public-key", temp.resolve("k.pub.pem"), "--json");

    assertThat(signed.code()).isZero();
    assertThat(verified.code()).isZero();
    assertThat(verified.out()).contains("\"resourcesChecked\": 2,");
  }

  @Test
  void ed25519KeyNeedsTheOptInFlag() throws Exception {
    Path model = model();
    run("key", "generate", "--type", "ed25519", "--out", temp.resolve("ed"));

    CommandRunner.Result refused =
        run("sign", "key", model, "--private-key", temp.resolve("ed.pem"));
    CommandRunner.Result allowed =
        run("sign", "key", model, "--private-key", temp.resolve("ed.pem"), "--allow-ed25519");
    CommandRunner.Result verified =
        run("verify", "key", model, "--public-key", temp.resolve("ed.pub.pem"));

    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err())
        .startsWith(
            "Ed25519 signatures are an airgap extension that other OMS verifiers reject; pass"
                + " --allow-ed25519 to use this key anyway");
    assertThat(allowed.code()).isZero();
    assertThat(verified.code()).isZero();
  }

  @Test
  void keyGenerateWritesPrivateKeyReadableByOwnerOnly() throws Exception {
    CommandRunner.Result result =
        run("key", "generate", "--type", "ecdsa-p384", "--out", temp.resolve("signer"));

    assertThat(result.code()).isZero();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(temp.resolve("signer.pem"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(temp.resolve("signer.pem")))
        .startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(temp.resolve("signer.pub.pem")))
        .startsWith("-----BEGIN PUBLIC KEY-----\n");
  }

  @Test
  void keyGenerateRefusesToOverwrite() throws Exception {
    run("key", "generate", "--out", temp.resolve("signer"));
    String before = Files.readString(temp.resolve("signer.pem"));

    CommandRunner.Result again = run("key", "generate", "--out", temp.resolve("signer"));

    assertThat(again.code()).isEqualTo(3);
    assertThat(again.err())
        .isEqualTo(
            "airgap: "
                + temp.resolve("signer.pem")
                + " already exists; refusing to overwrite a key\n");
    assertThat(Files.readString(temp.resolve("signer.pem"))).isEqualTo(before);
  }

  @Test
  void unknownKeyTypeIsAUsageError() {
    CommandRunner.Result result =
        run("key", "generate", "--type", "rsa", "--out", temp.resolve("k"));

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .startsWith(
            "unknown key type 'rsa'; expected one of [ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519]");
  }

  @Test
  void signThenVerifyWithShardsAndBlake2b() throws Exception {
    Path model = model();
    run("key", "generate", "--out", temp.resolve("k"));

    CommandRunner.Result signed =
        run(
            "sign",
            "key",
            model,
            "--private-key",
            temp.resolve("k.pem"),
            "--method",
            "shards",
            "--shard-size",
            "100",
            "--hash",
            "blake2b");
    CommandRunner.Result verified =
        run("verify", "key", model, "--public-key", temp.resolve("k.pub.pem"));

    assertThat(signed.code()).isZero();
    assertThat(signed.err())
        .startsWith("signed " + model + " into " + model.resolve("model.sig") + " (key ");
    assertThat(verified.code()).isZero();
    assertThat(verified.err()).startsWith("model model verified: 5 resources match root sha256:");
  }

  @Test
  void signCertificateWithTheVectorHierarchyVerifiesAgainstTheRoot() throws Exception {
    Path model = model();
    Path keys = VECTORS.resolve("keys");

    CommandRunner.Result signed =
        run(
            "sign",
            "certificate",
            model,
            "--private-key",
            keys.resolve("signing-key.pem"),
            "--signing-certificate",
            keys.resolve("signing-key-cert.pem"),
            "--certificate-chain",
            keys.resolve("int-ca-cert.pem"));
    CommandRunner.Result verified =
        run(
            "verify",
            "certificate",
            model,
            "--certificate-chain",
            keys.resolve("ca-cert.pem"),
            "--verification-time",
            "2030-01-01T00:00:00Z");

    assertThat(signed.code()).isZero();
    assertThat(verified.code()).isZero();
    assertThat(verified.err())
        .contains("signed by certificate CN=intermediate-ca (issuer CN=intermediate-ca)");
  }

  @Test
  void signatureByAnotherKeyExitsOne() throws Exception {
    Path model = model();
    run("key", "generate", "--out", temp.resolve("a"));
    run("key", "generate", "--out", temp.resolve("b"));
    run("sign", "key", model, "--private-key", temp.resolve("a.pem"));

    CommandRunner.Result result =
        run("verify", "key", model, "--public-key", temp.resolve("b.pub.pem"), "--json");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out())
        .startsWith("{\n  \"verified\": false,\n  \"error\": \"signature file ");
    assertThat(result.err()).contains("was signed by the key with hint");
  }

  @Test
  void malformedSignatureExitsThree() throws Exception {
    Path model = model();
    run("key", "generate", "--out", temp.resolve("k"));
    Files.writeString(model.resolve("model.sig"), "{\"mediaType\": ");

    CommandRunner.Result result =
        run("verify", "key", model, "--public-key", temp.resolve("k.pub.pem"));

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .startsWith(
            "airgap: signature file " + model.resolve("model.sig") + " is not valid JSON: ");
  }

  @Test
  void encryptedPrivateKeyNeedsItsPassword() throws Exception {
    Path model = model();
    Path key = temp.resolve("enc.pem");
    Path password = Files.writeString(temp.resolve("password"), "correct horse\n");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-aes-256-cbc",
                "-pass",
                "file:" + password,
                "-out",
                key.toString())
            .redirectErrorStream(true)
            .start();
    org.assertj.core.api.Assumptions.assumeThat(openssl.waitFor()).as("openssl available").isZero();

    CommandRunner.Result without = run("sign", "key", model, "--private-key", key);
    boolean writtenWithout = Files.exists(model.resolve("model.sig"));
    CommandRunner.Result with =
        run("sign", "key", model, "--private-key", key, "--password-file", password);

    assertThat(without.code()).isEqualTo(3);
    assertThat(without.err())
        .isEqualTo("airgap: " + key + ": the private key is encrypted; give its password\n");
    assertThat(writtenWithout).isFalse();
    assertThat(with.code()).isZero();
  }

  @Test
  void digestPrintsTheRootDigest() {
    Path model = VECTORS.resolve("v1.1.0-elliptic-key");

    CommandRunner.Result result =
        run("digest", model, "--ignore-paths", model.resolve("ignore-me"));

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .isEqualTo("sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4\n");
  }

  @Test
  void missingModelExitsThreeAndWritesNothing() {
    run("key", "generate", "--out", temp.resolve("k"));
    Path absent = temp.resolve("absent");

    CommandRunner.Result result =
        run(
            "sign",
            "key",
            absent,
            "--private-key",
            temp.resolve("k.pem"),
            "--signature",
            temp.resolve("out.sig"));

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err()).isEqualTo("airgap: " + absent + " does not exist\n");
    assertThat(Files.exists(temp.resolve("out.sig"))).isFalse();
  }

  @Test
  void secP256k1KeysAreRefused() throws Exception {
    Path key = temp.resolve("k1.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:secp256k1",
                "-out",
                key.toString())
            .redirectErrorStream(true)
            .start();
    org.assertj.core.api.Assumptions.assumeThat(openssl.waitFor()).as("openssl available").isZero();
    List<Object> args = new ArrayList<>(List.of("sign", "key", model(), "--private-key", key));

    CommandRunner.Result result = run(args.toArray());

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .isEqualTo(
            "airgap: "
                + key
                + ": ECDSA keys on this 256-bit curve are not supported; use P-256, P-384 or"
                + " P-521\n");
  }
}
