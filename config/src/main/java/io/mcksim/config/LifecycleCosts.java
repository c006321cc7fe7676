package io.mcksim.config;

/**
 * The {@code costs.lifecycle} section: what the IHK management plane costs in virtual time. All in ns.
 *
 * @param message       latency of one management message between the actors of a node (IHK master,
 *                      OS instance, CPUs, memory partitions); also the node's local lookahead
 * @param bootBase      fixed part of a boot: image set-up and the boot CPU's own initialisation
 * @param bootPerCpu    bringing up one McKernel CPU (done one after another)
 * @param bootPerGib    initialising one GiB of McKernel memory (per NUMA partition, one after another)
 * @param shutdownBase  fixed part of a shutdown
 * @param shutdownPerCpu stopping one McKernel CPU
 */
public record LifecycleCosts(long message, long bootBase, long bootPerCpu, long bootPerGib,
    long shutdownBase, long shutdownPerCpu) {}
