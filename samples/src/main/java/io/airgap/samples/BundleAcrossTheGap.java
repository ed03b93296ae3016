package io.airgap.samples;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.core.signing.VerificationReport;
import io.airgap.deps.BundleOptions;
import io.airgap.deps.Bundles;
import io.airgap.deps.ContentStore;
import io.airgap.deps.DependencySpec;
import io.airgap.deps.DirectoryMirror;
import io.airgap.deps.LockedArtifact;
import io.airgap.deps.Locker;
import io.airgap.deps.Lockfile;
import io.airgap.deps.Resolver;
import io.airgap.deps.VerifiedBundle;
import io.airgap.deps.VerifyOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Carry a signed model across the gap: on the connected side lock it and write one signed bundle;
 * on the isolated side verify the bundle, import it into the content store, resolve the lock with
 * no network and check the model's own signature where it landed.
 */
public final class BundleAcrossTheGap {
  private BundleAcrossTheGap() {}

  /**
   * What the sample saw.
   *
   * @param bundle the bundle file carried across
   * @param imported the artifacts the store took in
   * @param deployed where the resolved model was written
   * @param model the model's verification on the isolated side
   */
  public record Outcome(
      Path bundle, List<LockedArtifact> imported, Path deployed, VerificationReport model) {}

  /** Runs in a fresh temporary workspace. */
  public static void main(String[] args) {
    run(Workspace.fresh("bundle"), System.out);
  }

  /** Runs in {@code work}, telling {@code out} what happens. */
  public static Outcome run(Path work, PrintStream out) {
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);

    // Connected side: a mirror holding the signed model, a spec naming it, a lock, a bundle.
    Path mirror = work.resolve("connected/mirror");
    SampleModel.writeSigned(mirror.resolve("models/iris"), key);
    DependencySpec spec =
        DependencySpec.parse(
            ("{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"iris\", \"kind\": \"model\","
                    + " \"source\": {\"type\": \"directory\", \"path\": \"models/iris\"}}]}")
                .getBytes(StandardCharsets.UTF_8),
            "sample spec");
    Path files = work.resolve("connected/files");
    Lockfile lock = Locker.lock(spec, List.of(new DirectoryMirror(mirror)), files);
    Path lockFile = work.resolve("connected/" + Lockfile.FILE_NAME);
    lock.write(lockFile);
    Path bundle = work.resolve("transfer/iris-bundle.tar");
    bundle.getParent().toFile().mkdirs();
    Bundles.create(lock, key, bundle, BundleOptions.builder().files(files).build());
    out.println("connected side: locked " + lockFile + ", wrote signed bundle " + bundle);

    // Isolated side: verify, import, resolve from the store alone, check the model's signature.
    VerifiedBundle verified = Bundles.verify(bundle, key.publicKey(), VerifyOptions.defaults());
    out.println(
        "isolated side: bundle verified, "
            + verified.artifacts().size()
            + " artifact(s), created "
            + verified.created());
    // Into a new directory: a refused import leaves no empty store behind.
    VerifiedBundle imported =
        Bundles.importInto(
            bundle, key.publicKey(), work.resolve("isolated/store"), VerifyOptions.defaults());
    ContentStore store = ContentStore.open(work.resolve("isolated/store"));
    Path deploy = work.resolve("isolated/deploy");
    Resolver.materialize(Lockfile.read(lockFile), store, deploy);
    Path deployed = deploy.resolve("iris");
    VerificationReport report =
        ModelVerifier.builder()
            .publicKey(key.publicKey())
            .build()
            .check(deployed, deployed.resolve("model.sig"));
    out.println("resolved offline into " + deployed + ": " + report.summary());
    return new Outcome(bundle, imported.artifacts(), deployed, report);
  }
}
