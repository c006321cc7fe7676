package io.mcksim.config;

/**
 * The {@code costs.offload} section: the stages of an offloaded system call, in ns. The IKC trip and
 * the Linux service time come from {@code costs.ikc} and {@code costs.syscall}.
 */
public record OffloadCosts(long marshal, long ikcEnqueue, long mcctrlDispatch, long proxyWakeup,
    long replyWrite, long resume) {}
