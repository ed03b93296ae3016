package io.airgap.cli;

import io.airgap.core.signing.Pem;
import io.airgap.deps.ContentStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap store}: look at and check a content store. */
@Command(
    name = "store",
    description = "List or verify a content store (an OCI image layout).",
    subcommands = {StoreCommand.List.class, StoreCommand.Verify.class})
final class StoreCommand {
  private StoreCommand() {}

  /** {@code airgap store list}. */
  @Command(name = "list", description = "List the artifacts in a content store.")
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The content store.")
    Path store;

    @Override
    public Integer call() {
      BundleCommand.print(spec.commandLine().getOut(), ContentStore.open(store).list());
      return ExitCodes.OK;
    }
  }

  /** {@code airgap store verify}. */
  @Command(
      name = "verify",
      description =
          "Hash every blob of a content store again; with --public-key, also check that every"
              + " artifact came from a bundle that key signed. List every problem.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The content store.")
    Path store;

    @Option(
        names = "--public-key",
        paramLabel = "K",
        description =
            "The bundle signer's public key (PEM): each artifact's recorded signed envelope must"
                + " verify with it and name the artifact's manifest.")
    Path publicKey;

    @Override
    public Integer call() {
      ContentStore contentStore = ContentStore.open(store);
      // A problem both checks find (an index that cannot be read) is listed once.
      java.util.Set<String> found = new java.util.LinkedHashSet<>(contentStore.check());
      if (publicKey != null) {
        found.addAll(contentStore.checkProvenance(Pem.readPublicKey(publicKey)));
      }
      java.util.List<String> problems = java.util.List.copyOf(found);
      problems.forEach(spec.commandLine().getOut()::println);
      // Unreferenced blobs are counted on a sound store only: a manifest that cannot be read
      // (already a problem above) leaves unknown which blobs it references.
      int garbage = problems.isEmpty() ? contentStore.unreferenced().size() : 0;
      if (garbage > 0) {
        spec.commandLine()
            .getErr()
            .println(
                garbage
                    + " unreferenced blob(s), left by an interrupted import or a replaced artifact (harmless)");
      }
      spec.commandLine()
          .getErr()
          .println(
              problems.isEmpty()
                  ? "content store "
                      + store
                      + " verified"
                      + (publicKey == null
                          ? ""
                          : ": every artifact from a bundle signed by "
                              + Pem.hint(Pem.readPublicKey(publicKey)))
                  : problems.size() + " problem(s) in " + store);
      return problems.isEmpty() ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
    }
  }
}
