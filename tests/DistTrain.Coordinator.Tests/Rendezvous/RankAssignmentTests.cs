using DistTrain.Coordinator.Rendezvous;
using static DistTrain.Coordinator.Rendezvous.RankAssignment;

namespace DistTrain.Coordinator.Tests.Rendezvous;

public sealed class RankAssignmentTests
{
    private static readonly Dictionary<string, int> NoHistory = [];

    [Fact]
    public void First_round_orders_nodes_by_id()
    {
        var nodes = Assign([new("b", 1, "hb"), new("a", 1, "ha"), new("c", 1, "hc")], NoHistory);

        Assert.Equal(["a", "b", "c"], nodes.Select(n => n.NodeId));
    }

    [Fact]
    public void Assignment_does_not_depend_on_arrival_order()
    {
        Participant[] participants = [new("n1", 2, ""), new("n3", 1, ""), new("n2", 8, "")];

        var forward = Assign(participants, NoHistory);
        var backward = Assign(participants.Reverse().ToArray(), NoHistory);

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Nodes_keep_previous_ranks_that_still_exist()
    {
        var previous = new Dictionary<string, int> { ["z"] = 0, ["y"] = 1, ["x"] = 2 };

        var nodes = Assign([new("x", 1, ""), new("y", 1, ""), new("z", 1, "")], previous);

        Assert.Equal(["z", "y", "x"], nodes.Select(n => n.NodeId));
    }

    [Fact]
    public void Nodes_whose_rank_is_gone_fill_free_ranks_in_previous_rank_order_before_new_nodes()
    {
        var previous = new Dictionary<string, int> { ["a"] = 0, ["b"] = 1, ["c"] = 2, ["d"] = 3 };

        // a and b died: c keeps rank 2; d's rank 3 no longer exists, so d then the new node e take ranks 0 and 1.
        var nodes = Assign([new("e", 1, ""), new("d", 1, ""), new("c", 1, "")], previous);

        Assert.Equal(["d", "e", "c"], nodes.Select(n => n.NodeId));
    }
}
