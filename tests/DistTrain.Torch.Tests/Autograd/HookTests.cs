using DistTrain.Torch;
using DistTrain.Torch.Autograd;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Autograd;

public class HookTests
{
    private static void Backward(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var y = model.call(x);
        using var loss = y.sum();
        loss.backward();
    }

    [Fact]
    public void Post_accumulate_grad_hooks_fire_once_per_backward_per_parameter_in_reverse_layer_order()
    {
        using var model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2));
        var fired = new List<string>();
        var handles = model.named_parameters()
            .Select(np => np.parameter.register_post_accumulate_grad_hook(_ => fired.Add(np.name))).ToList();
        using var x = randn(5, 3);
        Backward(model, x);
        // The last layer's gradients are computed first; within a layer, bias before weight.
        Assert.Equal(["2.bias", "2.weight", "0.bias", "0.weight"], fired);
        fired.Clear();
        Backward(model, x);
        Assert.Equal(4, fired.Count);
        handles.ForEach(h => h.remove());
    }

    [Fact]
    public void Hook_receives_the_parameter_with_its_accumulated_gradient()
    {
        using var w = tensor(new float[] { 1, 2 }, requires_grad: true);
        var seen = new List<float[]>();
        Tensor? received = null;
        using var handle = w.register_post_accumulate_grad_hook(p =>
        {
            received = p;
            using var g = p.grad!;
            seen.Add(g.ToArray<float>());
        });
        using var three = tensor(new float[] { 3, 3 });
        for (var i = 0; i < 2; i++)
        {
            using var y = (w * three).sum();
            y.backward();
        }
        Assert.Same(w, received);
        // d(sum(3w))/dw = 3, accumulated over two backwards without zeroing.
        Assert.Equal([3f, 3f], seen[0]);
        Assert.Equal([6f, 6f], seen[1]);
    }

    [Fact]
    public void Removing_a_hook_stops_it()
    {
        using var w = ones([2], requires_grad: true);
        var count = 0;
        var handle = w.register_post_accumulate_grad_hook(_ => count++);
        using (var y = w.sum()) y.backward();
        handle.remove();
        using (var y = w.sum()) y.backward();
        Assert.Equal(1, count);
        handle.remove(); // a second removal is harmless
    }

    [Fact]
    public void Removed_hook_is_released_for_garbage_collection()
    {
        using var w = ones([1], requires_grad: true);
        var weak = RegisterThenRemove(w);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(weak.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference RegisterThenRemove(Tensor w)
    {
        var state = new object();
        Action<Tensor> hook = _ => GC.KeepAlive(state);
        w.register_post_accumulate_grad_hook(hook).remove();
        return new WeakReference(hook);
    }

    [Fact]
    public void Hook_exception_makes_backward_throw_its_message_and_the_next_backward_works()
    {
        using var w = ones([2], requires_grad: true);
        var fail = true;
        using var handle = w.register_post_accumulate_grad_hook(_ =>
        {
            if (fail) throw new InvalidOperationException("bucket 3 is not ready");
        });
        using (var y = w.sum())
        {
            var error = Assert.Throws<TorchException>(() => y.backward());
            Assert.Contains("bucket 3 is not ready", error.Message);
            Assert.Contains(nameof(InvalidOperationException), error.Message);
        }
        fail = false;
        w.grad = null;
        using (var y = w.sum()) y.backward();
        using var g = w.grad!;
        Assert.Equal([1f, 1f], g.ToArray<float>());
    }

    [Fact]
    public void Registering_a_hook_on_a_tensor_without_grad_fails_clearly()
    {
        using var t = zeros(2);
        var error = Assert.Throws<TorchException>(() => t.register_post_accumulate_grad_hook(_ => { }));
        Assert.Contains("doesn't require gradient", error.Message);
    }

    [Fact]
    public void Queued_callback_runs_once_after_every_gradient_is_written()
    {
        using var model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1));
        var events = new List<string>();
        var queued = false;
        var handles = model.named_parameters().Select(np => np.parameter.register_post_accumulate_grad_hook(_ =>
        {
            events.Add(np.name);
            if (queued) return;
            queued = true;
            autograd.queue_callback(() => events.Add("done"));
        })).ToList();
        using var x = ones(3, 2);
        Backward(model, x);
        Assert.Equal(5, events.Count);
        Assert.Equal("done", events[^1]);
        handles.ForEach(h => h.Dispose());
    }

    [Fact]
    public void Queue_callback_outside_backward_fails_with_a_clear_message()
    {
        var error = Assert.Throws<TorchException>(() => autograd.queue_callback(() => { }));
        Assert.Contains("during backward", error.Message);
    }

    [Fact]
    public void Queued_callback_exception_fails_backward_with_its_message()
    {
        using var w = ones([2], requires_grad: true);
        using var handle = w.register_post_accumulate_grad_hook(_ =>
            autograd.queue_callback(() => throw new InvalidOperationException("final step failed")));
        using var y = w.sum();
        var error = Assert.Throws<TorchException>(() => y.backward());
        Assert.Contains("final step failed", error.Message);
    }
}
