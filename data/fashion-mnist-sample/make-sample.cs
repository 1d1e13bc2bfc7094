// Re-creates this folder's Fashion-MNIST sample from the four full IDX files (a .NET 10 file-based program).
// Run from the repository root:
//   dotnet run data/fashion-mnist-sample/make-sample.cs -- ../shared/datasets/fashion-mnist data/fashion-mnist-sample
// It writes the first 2,000 training and first 500 test images and labels, gzipped, and prints the class counts and
// the SHA-256 of each written file's decompressed content.
#:project ../../src/Cortex.Keras/Cortex.Keras.csproj
using Cortex.Keras.Datasets;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run data/fashion-mnist-sample/make-sample.cs -- <full-fashion-mnist-folder> <output-folder>");
    return 2;
}
var full = FashionMnist.LoadFolder(args[0]);
Console.WriteLine(full);
Mnist.WriteSample(full, args[1], trainCount: 2000, testCount: 500);
var sample = FashionMnist.LoadFolder(args[1]);
Console.WriteLine(sample);
Console.WriteLine("train class counts: " + string.Join(" ", MnistData.ClassCounts(sample.TrainLabels)));
Console.WriteLine("test class counts:  " + string.Join(" ", MnistData.ClassCounts(sample.TestLabels)));
Console.WriteLine("first train labels: " + string.Join(" ", sample.TrainLabels.Take(10)));
foreach (var f in FashionMnist.Files)
{
    string path = Path.Combine(args[1], f.Stem + ".gz");
    Console.WriteLine($"{f.Stem}.gz  {new FileInfo(path).Length,9} bytes  content sha256 {DatasetLocator.ContentSha256(path)}");
}
return 0;
