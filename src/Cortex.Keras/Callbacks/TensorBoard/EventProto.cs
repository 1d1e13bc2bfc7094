using System.Buffers.Binary;
using Google.Protobuf;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// Hand-written protocol-buffer encoders and decoders for the few TensorFlow messages an event file needs, using
/// Google.Protobuf's <see cref="CodedOutputStream"/>/<see cref="CodedInputStream"/>. Field numbers are those of
/// <c>tensorflow/core/util/event.proto</c> (Event), <c>tensorflow/core/framework/summary.proto</c> (Summary,
/// Summary.Value, HistogramProto), <c>graph.proto</c> (GraphDef, with <c>versions.proto</c>'s VersionDef),
/// <c>node_def.proto</c> (NodeDef) and <c>tensor.proto</c> (TensorProto, read only).
/// </summary>
internal static class EventProto
{
    // Event: double wall_time = 1; int64 step = 2; oneof what { string file_version = 3; bytes graph_def = 4; Summary summary = 5; }
    private const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventGraphDef = 4, EventSummary = 5;
    // Summary: repeated Value value = 1. Value: string tag = 1; float simple_value = 2; HistogramProto histo = 5; TensorProto tensor = 8.
    private const int SummaryValueField = 1, ValueTag = 1, ValueSimple = 2, ValueHisto = 5, ValueTensor = 8;
    // HistogramProto: double min = 1, max = 2, num = 3, sum = 4, sum_squares = 5; repeated double bucket_limit = 6 [packed], bucket = 7 [packed].
    private const int HistoMin = 1, HistoMax = 2, HistoNum = 3, HistoSum = 4, HistoSumSquares = 5, HistoLimits = 6, HistoBuckets = 7;
    // GraphDef: repeated NodeDef node = 1; VersionDef versions = 4 (VersionDef: int32 producer = 1).
    private const int GraphNodeField = 1, GraphVersions = 4, VersionProducer = 1;
    // NodeDef: string name = 1; string op = 2; repeated string input = 3.
    private const int NodeName = 1, NodeOp = 2, NodeInput = 3;
    // TensorProto: int32 dtype = 1 (DT_FLOAT = 1); bytes tensor_content = 4; repeated float float_val = 5 [packed].
    private const int TensorContent = 4, TensorFloatVal = 5;

    public static byte[] FileVersionEvent(double wallTime, string version) =>
        Message(o => { Header(o, wallTime, 0); o.WriteTag(EventFileVersion, WireFormat.WireType.LengthDelimited); o.WriteString(version); });

    public static byte[] SummaryEvent(double wallTime, long step, IEnumerable<(string Tag, float? Scalar, Histogram? Histo)> values) =>
        Message(o =>
        {
            Header(o, wallTime, step);
            var summary = Message(s =>
            {
                foreach (var (tag, scalar, histo) in values)
                    WriteMessage(s, SummaryValueField, Message(v =>
                    {
                        v.WriteTag(ValueTag, WireFormat.WireType.LengthDelimited); v.WriteString(tag);
                        if (scalar is { } x) { v.WriteTag(ValueSimple, WireFormat.WireType.Fixed32); v.WriteFloat(x); }
                        if (histo is not null) WriteMessage(v, ValueHisto, EncodeHistogram(histo));
                    }));
            });
            WriteMessage(o, EventSummary, summary);
        });

    public static byte[] GraphEvent(double wallTime, IEnumerable<GraphNode> nodes) =>
        Message(o =>
        {
            Header(o, wallTime, 0);
            var graph = Message(g =>
            {
                foreach (var n in nodes)
                    WriteMessage(g, GraphNodeField, Message(nd =>
                    {
                        nd.WriteTag(NodeName, WireFormat.WireType.LengthDelimited); nd.WriteString(n.Name);
                        nd.WriteTag(NodeOp, WireFormat.WireType.LengthDelimited); nd.WriteString(n.Op);
                        foreach (var i in n.Inputs) { nd.WriteTag(NodeInput, WireFormat.WireType.LengthDelimited); nd.WriteString(i); }
                    }));
                WriteMessage(g, GraphVersions, Message(v => { v.WriteTag(VersionProducer, WireFormat.WireType.Varint); v.WriteInt32(22); }));
            });
            // Event.graph_def is declared `bytes` (a serialized GraphDef), which is the same wire form as a message.
            WriteMessage(o, EventGraphDef, graph);
        });

    private static byte[] EncodeHistogram(Histogram h) => Message(o =>
    {
        WriteDouble(o, HistoMin, h.Min); WriteDouble(o, HistoMax, h.Max); WriteDouble(o, HistoNum, h.Num);
        WriteDouble(o, HistoSum, h.Sum); WriteDouble(o, HistoSumSquares, h.SumSquares);
        WritePacked(o, HistoLimits, h.BucketLimits); WritePacked(o, HistoBuckets, h.Buckets);
    });

    private static void Header(CodedOutputStream o, double wallTime, long step)
    {
        WriteDouble(o, EventWallTime, wallTime);
        if (step != 0) { o.WriteTag(EventStep, WireFormat.WireType.Varint); o.WriteInt64(step); }
    }

    private static void WriteDouble(CodedOutputStream o, int field, double v) { o.WriteTag(field, WireFormat.WireType.Fixed64); o.WriteDouble(v); }

    private static void WritePacked(CodedOutputStream o, int field, IReadOnlyList<double> xs)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteLength(xs.Count * 8);
        foreach (var x in xs) o.WriteDouble(x);
    }

    private static void WriteMessage(CodedOutputStream o, int field, byte[] message)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var ms = new MemoryStream();
        using (var o = new CodedOutputStream(ms, leaveOpen: true)) { write(o); o.Flush(); }
        return ms.ToArray();
    }

    // ------------------------------------------------------------------ decoding

    public static TensorBoardEvent DecodeEvent(byte[] data, long offset)
    {
        var input = new CodedInputStream(data);
        double wall = 0; long step = 0; string? version = null;
        var values = new List<SummaryValue>();
        List<GraphNode>? graph = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case EventWallTime when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed64: wall = input.ReadDouble(); break;
                case EventStep when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: step = input.ReadInt64(); break;
                case EventFileVersion: version = input.ReadString(); break;
                case EventGraphDef: graph = DecodeGraph(input.ReadBytes().ToByteArray()); break;
                case EventSummary: values.AddRange(DecodeSummary(input.ReadBytes().ToByteArray())); break;
                default: input.SkipLastField(); break;
            }
        }
        return new TensorBoardEvent(offset, wall, step, version, values, graph);
    }

    private static IEnumerable<SummaryValue> DecodeSummary(byte[] data)
    {
        var input = new CodedInputStream(data);
        var result = new List<SummaryValue>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != SummaryValueField) { input.SkipLastField(); continue; }
            var v = new CodedInputStream(input.ReadBytes().ToByteArray());
            string name = ""; float? scalar = null; Histogram? histo = null;
            uint t;
            while ((t = v.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(t))
                {
                    case ValueTag: name = v.ReadString(); break;
                    case ValueSimple when WireFormat.GetTagWireType(t) == WireFormat.WireType.Fixed32: scalar = v.ReadFloat(); break;
                    case ValueHisto: histo = DecodeHistogram(v.ReadBytes().ToByteArray()); break;
                    case ValueTensor: scalar = DecodeScalarTensor(v.ReadBytes().ToByteArray()) ?? scalar; break;
                    default: v.SkipLastField(); break;
                }
            }
            result.Add(new SummaryValue(name, scalar, histo));
        }
        return result;
    }

    /// <summary>A float32 scalar written in TF2's tensor form (<c>tf.summary.scalar</c>), or null for anything else.</summary>
    private static float? DecodeScalarTensor(byte[] data)
    {
        var input = new CodedInputStream(data);
        float? value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case TensorFloatVal when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed32: value = input.ReadFloat(); break;
                case TensorFloatVal:
                    var packed = input.ReadBytes().Span;
                    if (packed.Length >= 4) value = BinaryPrimitives.ReadSingleLittleEndian(packed);
                    break;
                case TensorContent:
                    var content = input.ReadBytes().Span;
                    if (content.Length == 4) value = BinaryPrimitives.ReadSingleLittleEndian(content);
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return value;
    }

    private static Histogram DecodeHistogram(byte[] data)
    {
        var input = new CodedInputStream(data);
        double min = 0, max = 0, num = 0, sum = 0, sumSquares = 0;
        var limits = new List<double>();
        var buckets = new List<double>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case HistoMin: min = input.ReadDouble(); break;
                case HistoMax: max = input.ReadDouble(); break;
                case HistoNum: num = input.ReadDouble(); break;
                case HistoSum: sum = input.ReadDouble(); break;
                case HistoSumSquares: sumSquares = input.ReadDouble(); break;
                case HistoLimits: ReadDoubles(input, tag, limits); break;
                case HistoBuckets: ReadDoubles(input, tag, buckets); break;
                default: input.SkipLastField(); break;
            }
        }
        return new Histogram(min, max, num, sum, sumSquares, limits, buckets);
    }

    /// <summary>A repeated double, packed (length-delimited) or not (one fixed64 per element).</summary>
    private static void ReadDoubles(CodedInputStream input, uint tag, List<double> into)
    {
        if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed64) { into.Add(input.ReadDouble()); return; }
        var bytes = input.ReadBytes().Span;
        for (int i = 0; i + 8 <= bytes.Length; i += 8) into.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i, 8)));
    }

    private static List<GraphNode> DecodeGraph(byte[] data)
    {
        var input = new CodedInputStream(data);
        var nodes = new List<GraphNode>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != GraphNodeField) { input.SkipLastField(); continue; }
            var n = new CodedInputStream(input.ReadBytes().ToByteArray());
            string name = "", op = "";
            var inputs = new List<string>();
            uint t;
            while ((t = n.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(t))
                {
                    case NodeName: name = n.ReadString(); break;
                    case NodeOp: op = n.ReadString(); break;
                    case NodeInput: inputs.Add(n.ReadString()); break;
                    default: n.SkipLastField(); break;
                }
            }
            nodes.Add(new GraphNode(name, op, inputs));
        }
        return nodes;
    }
}
