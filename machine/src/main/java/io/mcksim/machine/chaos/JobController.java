package io.mcksim.machine.chaos;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;

/**
 * The batch system's controller of a job that spans every node (a BSP job, {@link BspJob}), as Slurm's
 * {@code slurmctld} is: it launches the job on every node at once when every node runs McKernel, and a
 * node that loses its part of the launch (its ranks killed by a panic or a hang, mcexec killed, the time
 * limit, the node lost) ends the launch on every other node (SIGKILL to each mcexec, by the node's job
 * manager). Once every node's part is over, the job is done, or it fails or is requeued by {@code
 * chaos.job.policy}: requeued, it is launched again, every rank from the start, once every node runs
 * McKernel again, at most {@code chaos.job.max-requeues} times and as the nodes' process slots allow. A
 * job whose node is gone for good (lost, or given up by IHK's reboot policy) is not launched again: it
 * fails, as a job that needs every node of the machine stays pending for ever.
 *
 * <p>It lives in node 0's domain; its messages to and from the nodes' job managers take one management
 * message ({@code costs.lifecycle.message}).
 */
final class JobController implements SimEntity {

  /** A node's job manager tells the controller: its instance runs McKernel now, or no longer does. */
  record NodeState(int node, boolean up) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return node * 2L + (up ? 1 : 0);
    }
  }

  /** A node is gone for good: lost, or given up by IHK's reboot policy. */
  record NodeGone(int node) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return node;
    }
  }

  /** A node's part of launch {@code launch} is over: every process reaped; {@code failed} if one did not exit 0. */
  record PartOver(int node, int launch, boolean failed) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return node * 31L + launch * 7L + (failed ? 1 : 0);
    }
  }

  /** The controller tells a node's job manager: run your part of launch {@code launch}. */
  record Launch(int launch) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return launch;
    }
  }

  /** The controller tells a node's job manager: kill what runs of launch {@code launch}. */
  record Cancel(int launch) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return launch * 3L + 1;
    }
  }

  /** The job is over: done, or failed. */
  record Ended(boolean done) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return done ? 1 : 2;
    }
  }

  private final ChaosMachine m;
  private final boolean[] up;
  private final boolean[] gone;
  private final boolean[] over;
  /** The launch under way or last made (-1 before the first); whether one runs; whether it was cancelled. */
  private int launch = -1;
  private boolean running;
  private boolean cancelled;
  private boolean ended;
  private int requeues;

  JobController(ChaosMachine m) {
    this.m = m;
    this.up = new boolean[m.nodes];
    this.gone = new boolean[m.nodes];
    this.over = new boolean[m.nodes];
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (ended) {
      return;
    }
    if (payload instanceof NodeState s) {
      up[s.node()] = s.up();
      if (!s.up() && running && !over[s.node()]) {
        cancel(ctx);
      }
      tryLaunch(ctx);
    } else if (payload instanceof NodeGone g) {
      gone[g.node()] = true;
      up[g.node()] = false;
      if (running) {
        cancel(ctx);
        partOver(ctx, g.node());
      } else {
        end(ctx, false); // never launched again: the job needs every node
      }
    } else if (payload instanceof PartOver p) {
      if (p.launch() != launch || !running || over[p.node()]) {
        return;
      }
      if (p.failed()) {
        cancel(ctx);
      }
      partOver(ctx, p.node());
    } else {
      throw new IllegalStateException("the batch system: unexpected " + payload);
    }
  }

  /** Launches the job on every node, if it waits and every node runs McKernel. */
  private void tryLaunch(SimContext ctx) {
    if (running) {
      return;
    }
    for (int n = 0; n < m.nodes; n++) {
      if (!up[n]) {
        return;
      }
    }
    launch++;
    running = true;
    cancelled = false;
    java.util.Arrays.fill(over, false);
    for (int n = 0; n < m.nodes; n++) {
      ctx.send(m.agentEntity(n), m.messageNs, 0, new Launch(launch));
    }
  }

  /** The launch ends on every node: each job manager kills what still runs of it. */
  private void cancel(SimContext ctx) {
    if (cancelled) {
      return;
    }
    cancelled = true;
    for (int n = 0; n < m.nodes; n++) {
      if (!over[n] && !gone[n]) {
        ctx.send(m.agentEntity(n), m.messageNs, 0, new Cancel(launch));
      }
    }
  }

  /** Node {@code n}'s part is over; once every node's is, the job is done, fails, or is requeued. */
  private void partOver(SimContext ctx, int n) {
    over[n] = true;
    for (int k = 0; k < m.nodes; k++) {
      if (!over[k]) {
        return;
      }
    }
    running = false;
    if (!cancelled) {
      end(ctx, true);
    } else if (!m.chaos.job().policy().equals("fail") && requeues < m.chaos.job().maxRequeues()
        && launch + 1 < m.slots / m.perLaunch && !anyGone()) {
      requeues++;
      tryLaunch(ctx);
    } else {
      end(ctx, false);
    }
  }

  private boolean anyGone() {
    for (boolean g : gone) {
      if (g) {
        return true;
      }
    }
    return false;
  }

  private void end(SimContext ctx, boolean done) {
    ended = true;
    for (int n = 0; n < m.nodes; n++) {
      if (!gone[n]) {
        ctx.send(m.agentEntity(n), m.messageNs, 0, new Ended(done));
      }
    }
  }

  /** Times the job was launched again after a failed launch. */
  int requeues() {
    return requeues;
  }
}
