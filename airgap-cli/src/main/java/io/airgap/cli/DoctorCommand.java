package io.airgap.cli;

import io.airgap.inference.RuntimeDiagnostics;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code airgap doctor}: what works for inference on this host, and what to fix. */
@Command(
    name = "doctor",
    description =
        "Check this host for inference: native library directories, ONNX Runtime, the providers"
            + " that really start, the NVIDIA driver and CUDA libraries; then what would reach out or"
            + " break offline: proxy settings, Hugging Face offline variables, and with --lock and"
            + " --store a lockfile and content store that must verify. Exit 0 when the CPU path works"
            + " and nothing fails.")
final class DoctorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<RuntimeDiagnostics.Check> checks = RuntimeDiagnostics.run();
    PrintWriter out = spec.commandLine().getOut();
    int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
    for (RuntimeDiagnostics.Check check : checks) {
      out.printf(
          "%-4s %-" + width + "s  %s%n", check.ok() ? "ok" : "--", check.name(), check.detail());
    }
    boolean cpuWorks =
        checks.stream().anyMatch(c -> c.name().equals("CPU provider starts") && c.ok());
    return cpuWorks ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
  }
}
