package io.airgap.cli;

import io.airgap.core.trust.Role;
import io.airgap.core.trust.SignedPolicy;
import io.airgap.core.trust.TrustPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap policy show}: a draft or signed policy printed for people. */
@Command(name = "show", description = "Print a draft or signed policy for people.")
final class PolicyShow implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "POLICY", description = "Draft or signed policy file.")
  Path policy;

  @Override
  public Integer call() {
    SignedPolicy signed = SignedPolicy.readSignedOrDraft(policy);
    TrustPolicy p = signed.policy();
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "policy version "
            + p.version()
            + ", expires "
            + p.expires()
            + ", sha256 "
            + signed.digest().hex());
    out.println("root: " + p.root().threshold() + " of " + p.root().keyIds());
    for (Role role : p.roles()) {
      out.println(
          "role "
              + role.name()
              + " "
              + role.patterns()
              + ": "
              + role.signers().threshold()
              + " of "
              + role.signers().keyIds());
    }
    p.keys()
        .values()
        .forEach(
            key ->
                out.println(
                    "key "
                        + key.keyId()
                        + " "
                        + key.type().cliName()
                        + (key.validFrom() == null ? "" : " from " + key.validFrom())
                        + (key.validUntil() == null ? "" : " until " + key.validUntil())
                        + (key.revocation() == null
                            ? ""
                            : " REVOKED: " + key.revocation().reason())));
    signed
        .envelope()
        .signatures()
        .forEach(
            s ->
                out.println(
                    "signature claiming key "
                        + (s.keyId().isEmpty() ? "(none)" : s.keyId())
                        + " (not verified here; use 'policy verify')"));
    return ExitCodes.OK;
  }
}
