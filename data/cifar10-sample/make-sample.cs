// Re-creates this folder's CIFAR-10 sample from the test-only JPEG-q75 copy (a .NET 10 file-based program).
// Run from the repository root:
//   dotnet run data/cifar10-sample/make-sample.cs -- ../shared/datasets/cifar10 data/cifar10-sample
// It keeps the first 1,000 records (100 per class: the copy is in class round-robin order), writes them gzipped as
// test_batch_jpegq75.bin.gz in the CIFAR-10 binary layout, and prints class counts and the content SHA-256.
#:project ../../src/Cortex.Keras/Cortex.Keras.csproj
using Cortex.Keras.Datasets;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run data/cifar10-sample/make-sample.cs -- <folder with test_batch_jpegq75.bin.gz> <output-folder>");
    return 2;
}
const int Count = 1000;
var full = Cifar10.LoadFolder(args[0]);
Console.WriteLine(full);
var keep = new Cifar10Split(full.Test.Images.AsSpan(0, Count * Cifar10.ImageBytes).ToArray(), full.Test.Labels.AsSpan(0, Count).ToArray());
string path = Path.Combine(args[1], Cifar10.JpegTestFile + ".gz");
Cifar10.WriteBatch(path, keep);
var sample = Cifar10.LoadFolder(args[1]);
Console.WriteLine(sample);
Console.WriteLine("class counts: " + string.Join(" ", MnistData.ClassCounts(sample.Test.Labels)));
Console.WriteLine("first labels: " + string.Join(" ", sample.Test.Labels.Take(10)));
Console.WriteLine($"{Path.GetFileName(path)}  {new FileInfo(path).Length,9} bytes  content sha256 {DatasetLocator.ContentSha256(path)}");
return 0;
