// Re-creates this folder's MNIST sample from the full MNIST IDX files (a .NET 10 file-based program).
// Run from the repository root:
//   dotnet run data/mnist-sample/make-sample.cs -- <folder with the four full MNIST files> data/mnist-sample
// It writes the first 6,000 training and first 1,000 test images and labels, gzipped, and prints the class counts
// and the SHA-256 of each written file's decompressed content.
#:project ../../src/Cortex.Keras/Cortex.Keras.csproj
using Cortex.Keras.Datasets;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run data/mnist-sample/make-sample.cs -- <full-mnist-folder> <output-folder>");
    return 2;
}
var full = Mnist.LoadFolder(args[0]);
Console.WriteLine(full);
Mnist.WriteSample(full, args[1], trainCount: 6000, testCount: 1000);
var sample = Mnist.LoadFolder(args[1]);
Console.WriteLine(sample);
Console.WriteLine("train class counts: " + string.Join(" ", MnistData.ClassCounts(sample.TrainLabels)));
Console.WriteLine("test class counts:  " + string.Join(" ", MnistData.ClassCounts(sample.TestLabels)));
foreach (var f in Mnist.Files)
{
    string path = Path.Combine(args[1], f.Stem + ".gz");
    Console.WriteLine($"{f.Stem}.gz  {new FileInfo(path).Length,9} bytes  content sha256 {DatasetLocator.ContentSha256(path)}");
}
return 0;
