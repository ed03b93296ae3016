package io.airgap.benchmarks;

import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.manifest.SerializationMethod;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.core.signing.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Times {@code ModelVerifier.verify} over a model directory (files method) and a single large file
 * (shards method), and the JDK's single-thread SHA-256 over memory, so that the comparison script
 * can put them beside openssl, sha256sum and a Python hashlib thread pool.
 *
 * <p>Usage: {@code VerifyThroughput DIRECTORY_MODEL SINGLE_FILE ROUNDS}. Prints one line per
 * measurement: {@code name bytes best_seconds}.
 */
public final class VerifyThroughput {
  private VerifyThroughput() {}

  /** Runs the measurements. */
  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    Path single = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    ModelSigner signer = ModelSigner.builder().key(key).build();
    Path signatures = Files.createTempDirectory("airgap-bench");
    Path directorySignature = signatures.resolve("directory.sig");
    Path singleSignature = signatures.resolve("single.sig");
    signer.sign(directory, directorySignature, ModelHasher.builder().build(), List.of());
    signer.sign(
        single,
        singleSignature,
        ModelHasher.builder().method(SerializationMethod.SHARDS).build(),
        List.of());
    ModelVerifier verifier = ModelVerifier.builder().publicKey(key.publicKey()).build();

    report(
        "airgap-verify-directory",
        size(directory),
        best(rounds, () -> verify(verifier, directory, directorySignature)));
    report(
        "airgap-verify-single-shards",
        size(single),
        best(rounds, () -> verify(verifier, single, singleSignature)));
    long jdkBytes = 4L << 30;
    report("jdk-sha256-one-thread", jdkBytes, best(rounds, () -> jdkSha256(jdkBytes)));
    System.out.println("threads " + Runtime.getRuntime().availableProcessors());
    System.out.println("max-heap-mib " + Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  private static void verify(ModelVerifier verifier, Path model, Path signature) {
    VerificationReport report = verifier.check(model, signature);
    if (!report.verified()) {
      throw new IllegalStateException(report.summary());
    }
  }

  /** SHA-256 over an 8 MiB heap array, repeated: the JDK intrinsic's speed on one core. */
  private static void jdkSha256(long bytes) {
    try {
      byte[] block = new byte[8 << 20];
      Arrays.fill(block, (byte) 7);
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (long done = 0; done < bytes; done += block.length) {
        digest.update(block);
      }
      digest.digest();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static double best(int rounds, Runnable task) {
    task.run(); // warm-up: JIT, page cache
    double best = Double.MAX_VALUE;
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      task.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return best;
  }

  private static long size(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      return Files.size(path);
    }
    try (Stream<Path> files = Files.walk(path)) {
      long total = 0;
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        total += Files.size(file);
      }
      return total;
    }
  }

  private static void report(String name, long bytes, double seconds) {
    System.out.printf("%s %d %.4f%n", name, bytes, seconds);
  }
}
