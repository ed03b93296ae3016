package io.airgap.cli;

import io.airgap.deps.Preflight;
import io.airgap.inference.RuntimeDiagnostics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Option(names = "--lock", description = "A lockfile that must parse (and resolve in --store).")
  Path lock;

  @Option(names = "--store", description = "A content store that must verify.")
  Path store;

  @Override
  public Integer call() {
    List<RuntimeDiagnostics.Check> runtime = RuntimeDiagnostics.run();
    List<Preflight.Check> offline =
        Preflight.run(System.getenv(), System.getProperties(), lock, store);
    PrintWriter out = spec.commandLine().getOut();
    int width =
        Math.max(
            runtime.stream().mapToInt(c -> c.name().length()).max().orElse(0),
            offline.stream().mapToInt(c -> c.name().length()).max().orElse(0));
    String line = "%-4s %-" + width + "s  %s%n";
    for (RuntimeDiagnostics.Check check : runtime) {
      out.printf(line, check.ok() ? "ok" : "--", check.name(), check.detail());
    }
    for (Preflight.Check check : offline) {
      out.printf(line, mark(check.status()), check.name(), check.detail());
    }
    boolean cpuWorks =
        runtime.stream().anyMatch(c -> c.name().equals("CPU provider starts") && c.ok());
    boolean offlineFails = offline.stream().anyMatch(c -> c.status() == Preflight.Status.FAIL);
    return cpuWorks && !offlineFails ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
  }

  private static String mark(Preflight.Status status) {
    return switch (status) {
      case OK -> "ok";
      case WARN -> "warn";
      case FAIL -> "FAIL";
    };
  }
}
