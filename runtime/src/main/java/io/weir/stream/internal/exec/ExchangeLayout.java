package io.weir.stream.internal.exec;

import io.weir.stream.internal.JobEdge;
import io.weir.stream.internal.JobGraph;
import io.weir.stream.internal.JobVertex;
import java.util.ArrayList;
import java.util.List;

/**
 * The numbering of one subtask's exchanges, the same on every node because it is computed from
 * the job graph alone.
 *
 * <p>Input <em>channels</em>: each upstream subtask of each input edge of the vertex, numbered
 * edge by edge in the order of {@link JobGraph#inputsOf}, then by upstream subtask. Output
 * <em>ports</em>: each target subtask of each output edge of the vertex, numbered the same way
 * over the edges leaving the vertex. A sender stamps a port's elements with the channel they
 * arrive on at the receiver.
 *
 * @param inputs the edges into the vertex, in channel order
 * @param channelBase per input edge, its first channel
 * @param channelCount the number of input channels; 0 for a source vertex
 * @param outputs the edges out of the vertex, in port order
 * @param portBase per output edge, its first port
 * @param ports per port, the receiver's channel
 * @param portTargets per port, the target subtask
 * @param portCount the number of output ports
 */
public record ExchangeLayout(List<JobEdge> inputs, int[] channelBase, int channelCount,
    List<JobEdge> outputs, int[] portBase, int[] ports, int[] portTargets, int portCount) {

  /**
   * The layout of one subtask.
   *
   * @param graph the job graph
   * @param vertexId the subtask's vertex
   * @param subtask the subtask's index
   * @return its layout
   */
  public static ExchangeLayout of(JobGraph graph, String vertexId, int subtask) {
    List<JobEdge> inputs = graph.inputsOf(vertexId);
    int[] channelBase = new int[inputs.size()];
    int channels = 0;
    for (int i = 0; i < inputs.size(); i++) {
      channelBase[i] = channels;
      channels += graph.vertex(inputs.get(i).sourceVertex()).parallelism();
    }
    List<JobEdge> outputs = graph.edges().stream()
        .filter(e -> e.sourceVertex().equals(vertexId)).toList();
    int[] portBase = new int[outputs.size()];
    List<int[]> portList = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      JobEdge edge = outputs.get(i);
      portBase[i] = portList.size();
      JobVertex target = graph.vertex(edge.targetVertex());
      int base = receiverChannelBase(graph, edge);
      for (int t = 0; t < target.parallelism(); t++) {
        portList.add(new int[] {base + subtask, t});
      }
    }
    int[] ports = portList.stream().mapToInt(p -> p[0]).toArray();
    int[] targets = portList.stream().mapToInt(p -> p[1]).toArray();
    return new ExchangeLayout(inputs, channelBase, channels, outputs, portBase, ports, targets,
        ports.length);
  }

  private static int receiverChannelBase(JobGraph graph, JobEdge edge) {
    int base = 0;
    for (JobEdge in : graph.inputsOf(edge.targetVertex())) {
      if (in.equals(edge)) {
        return base;
      }
      base += graph.vertex(in.sourceVertex()).parallelism();
    }
    throw new IllegalStateException("edge " + edge + " is not an input of its target");
  }

  /** The index into {@link #inputs} of the edge a channel belongs to. */
  public int inputEdgeOf(int channel) {
    for (int i = channelBase.length - 1; i >= 0; i--) {
      if (channel >= channelBase[i]) {
        return i;
      }
    }
    throw new IllegalArgumentException("no input channel " + channel);
  }

  /** The port of target subtask {@code target} on output edge {@code outputEdge}. */
  public int port(int outputEdge, int target) {
    return portBase[outputEdge] + target;
  }
}
