using Cortex.Keras.Models;
using Cortex.Keras.Saving;

namespace Cortex.Tests.Saving;

public class RealKerasFilesTests
{
    [Fact]
    public void Smoke()
    {
        var dir = SavingTestUtil.KerasModels;
        if (dir is null) return;
        foreach (var f in new[] { "mnist_cnn_k3.keras", "mnist_cnn.h5", "crin_mlp.h5" })
        {
            var m = KerasIO.LoadModel(Path.Combine(dir, f));
            var x = SavingTestUtil.LoadNpy(dir, f.Split('.')[0] + ".input.npy");
            var y = m.Predict(x);
            Console.WriteLine($"{f}: {y.ShapeString} {string.Join(",", y.ToArray().Take(12).Select(v => v.ToString("G6")))}");
        }
    }
}
