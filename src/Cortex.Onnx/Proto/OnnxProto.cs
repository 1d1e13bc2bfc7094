using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Cortex.Onnx.Proto;

// The subset of the ONNX protobuf schema (onnx.proto3, ONNX IR) that the exporter writes, as plain classes, and its
// encoding with Google.Protobuf's CodedOutputStream. Field numbers are the ONNX schema's; only the fields the exporter
// sets are modelled. Repeated scalars are written unpacked, which every protobuf parser accepts.

/// <summary>ONNX's <c>TensorProto.DataType</c> values the exporter uses.</summary>
public enum OnnxDataType
{
    /// <summary>32-bit IEEE float.</summary>
    Float = 1,
    /// <summary>64-bit signed integer (shapes, pads, indices).</summary>
    Int64 = 7,
}

/// <summary>An ONNX <c>ModelProto</c>: the IR version, the operator sets imported, the producer and the graph.</summary>
public sealed class OnnxModelProto
{
    /// <summary>The ONNX IR version (field 1).</summary>
    public long IrVersion { get; set; }
    /// <summary>The operator sets the graph binds against (field 8), as (domain, version); "" is the default ONNX domain.</summary>
    public List<(string Domain, long Version)> OpsetImports { get; } = new();
    /// <summary>The producing tool (field 2).</summary>
    public string ProducerName { get; set; } = "";
    /// <summary>The producing tool's version (field 3).</summary>
    public string ProducerVersion { get; set; } = "";
    /// <summary>A description (field 6).</summary>
    public string DocString { get; set; } = "";
    /// <summary>The graph (field 7).</summary>
    public OnnxGraphProto Graph { get; set; } = new();

    /// <summary>The default-domain opset version, or 0 when none is imported.</summary>
    public long Opset => OpsetImports.Where(o => o.Domain == "").Select(o => o.Version).DefaultIfEmpty(0).Max();

    /// <summary>The protobuf encoding of the model (an .onnx file's bytes).</summary>
    public byte[] ToByteArray()
    {
        using var ms = new MemoryStream();
        WriteTo(ms);
        return ms.ToArray();
    }

    /// <summary>Writes the protobuf encoding to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var o = new CodedOutputStream(stream, leaveOpen: true);
        ProtoWriter.Int64(o, 1, IrVersion);
        ProtoWriter.String(o, 2, ProducerName);
        ProtoWriter.String(o, 3, ProducerVersion);
        ProtoWriter.String(o, 6, DocString);
        ProtoWriter.Message(o, 7, Graph.WriteTo);
        foreach (var (domain, version) in OpsetImports)
            ProtoWriter.Message(o, 8, s => { ProtoWriter.String(s, 1, domain); ProtoWriter.Int64(s, 2, version); });
        o.Flush();
    }
}

/// <summary>An ONNX <c>GraphProto</c>: nodes in topological order, initializers (weights), inputs and outputs.</summary>
public sealed class OnnxGraphProto
{
    /// <summary>The graph's name (field 2).</summary>
    public string Name { get; set; } = "";
    /// <summary>The nodes, sorted topologically (field 1).</summary>
    public List<OnnxNodeProto> Nodes { get; } = new();
    /// <summary>The constant tensors (field 5).</summary>
    public List<OnnxTensorProto> Initializers { get; } = new();
    /// <summary>The graph inputs (field 11).</summary>
    public List<OnnxValueInfoProto> Inputs { get; } = new();
    /// <summary>The graph outputs (field 12).</summary>
    public List<OnnxValueInfoProto> Outputs { get; } = new();

    internal void WriteTo(CodedOutputStream o)
    {
        foreach (var n in Nodes) ProtoWriter.Message(o, 1, n.WriteTo);
        ProtoWriter.String(o, 2, Name);
        foreach (var t in Initializers) ProtoWriter.Message(o, 5, t.WriteTo);
        foreach (var i in Inputs) ProtoWriter.Message(o, 11, i.WriteTo);
        foreach (var i in Outputs) ProtoWriter.Message(o, 12, i.WriteTo);
    }
}

/// <summary>An ONNX <c>NodeProto</c>: one operator call.</summary>
public sealed class OnnxNodeProto
{
    /// <summary>Creates a node of operator <paramref name="opType"/>.</summary>
    public OnnxNodeProto(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<OnnxAttributeProto>? attributes = null)
    {
        OpType = opType; Name = name;
        Inputs = inputs.ToList(); Outputs = outputs.ToList();
        Attributes = attributes?.ToList() ?? new List<OnnxAttributeProto>();
    }

    /// <summary>The operator (field 4), e.g. <c>Conv</c>.</summary>
    public string OpType { get; }
    /// <summary>The node's name (field 3).</summary>
    public string Name { get; }
    /// <summary>The input value names (field 1); "" for an omitted optional input.</summary>
    public List<string> Inputs { get; }
    /// <summary>The output value names (field 2).</summary>
    public List<string> Outputs { get; }
    /// <summary>The attributes (field 5).</summary>
    public List<OnnxAttributeProto> Attributes { get; }

    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public OnnxAttributeProto? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    internal void WriteTo(CodedOutputStream o)
    {
        foreach (var i in Inputs) ProtoWriter.String(o, 1, i, always: true);
        foreach (var i in Outputs) ProtoWriter.String(o, 2, i, always: true);
        ProtoWriter.String(o, 3, Name);
        ProtoWriter.String(o, 4, OpType);
        foreach (var a in Attributes) ProtoWriter.Message(o, 5, a.WriteTo);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{OpType}({string.Join(", ", Inputs)}) -> {string.Join(", ", Outputs)}";
}

/// <summary>An ONNX <c>AttributeProto</c> of one of the kinds the exporter writes: float, int, string, floats, ints, strings.</summary>
public sealed class OnnxAttributeProto
{
    private OnnxAttributeProto(string name, int type) { Name = name; Type = type; }

    /// <summary>The attribute's name (field 1).</summary>
    public string Name { get; }
    /// <summary>ONNX's <c>AttributeType</c> (field 20): 1 float, 2 int, 3 string, 6 floats, 7 ints, 8 strings.</summary>
    public int Type { get; }
    /// <summary>The float value (field 2).</summary>
    public float F { get; private init; }
    /// <summary>The int value (field 3).</summary>
    public long I { get; private init; }
    /// <summary>The string value (field 4).</summary>
    public string S { get; private init; } = "";
    /// <summary>The float list (field 7).</summary>
    public float[] Floats { get; private init; } = Array.Empty<float>();
    /// <summary>The int list (field 8).</summary>
    public long[] Ints { get; private init; } = Array.Empty<long>();
    /// <summary>The string list (field 9), e.g. the recurrent operators' <c>activations</c>.</summary>
    public string[] Strings { get; private init; } = Array.Empty<string>();

    /// <summary>A float attribute.</summary>
    public static OnnxAttributeProto Float(string name, float value) => new(name, 1) { F = value };
    /// <summary>An int attribute.</summary>
    public static OnnxAttributeProto Int(string name, long value) => new(name, 2) { I = value };
    /// <summary>A string attribute.</summary>
    public static OnnxAttributeProto String(string name, string value) => new(name, 3) { S = value };
    /// <summary>A float-list attribute.</summary>
    public static OnnxAttributeProto FloatList(string name, params float[] values) => new(name, 6) { Floats = values };
    /// <summary>An int-list attribute.</summary>
    public static OnnxAttributeProto IntList(string name, params long[] values) => new(name, 7) { Ints = values };
    /// <summary>A string-list attribute.</summary>
    public static OnnxAttributeProto StringList(string name, params string[] values) => new(name, 8) { Strings = values };

    internal void WriteTo(CodedOutputStream o)
    {
        ProtoWriter.String(o, 1, Name);
        switch (Type)
        {
            case 1: o.WriteTag(2, WireFormat.WireType.Fixed32); o.WriteFloat(F); break;
            case 2: o.WriteTag(3, WireFormat.WireType.Varint); o.WriteInt64(I); break;
            case 3: o.WriteTag(4, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFromUtf8(S)); break;
            case 6: foreach (var f in Floats) { o.WriteTag(7, WireFormat.WireType.Fixed32); o.WriteFloat(f); } break;
            case 7: foreach (var i in Ints) { o.WriteTag(8, WireFormat.WireType.Varint); o.WriteInt64(i); } break;
            case 8: foreach (var v in Strings) { o.WriteTag(9, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFromUtf8(v)); } break;
        }
        o.WriteTag(20, WireFormat.WireType.Varint); o.WriteInt32(Type);
    }

    /// <inheritdoc/>
    public override string ToString() => Type switch
    {
        1 => $"{Name}={F}", 2 => $"{Name}={I}", 3 => $"{Name}=\"{S}\"",
        6 => $"{Name}=[{string.Join(", ", Floats)}]", 8 => $"{Name}=[{string.Join(", ", Strings.Select(v => $"\"{v}\""))}]",
        _ => $"{Name}=[{string.Join(", ", Ints)}]",
    };
}

/// <summary>An ONNX <c>TensorProto</c> holding a constant (float32 or int64), stored as little-endian <c>raw_data</c>.</summary>
public sealed class OnnxTensorProto
{
    /// <summary>A float32 constant.</summary>
    public OnnxTensorProto(string name, long[] dims, float[] data) : this(name, dims, OnnxDataType.Float, data.Length)
        => FloatData = data;

    /// <summary>An int64 constant.</summary>
    public OnnxTensorProto(string name, long[] dims, long[] data) : this(name, dims, OnnxDataType.Int64, data.Length)
        => Int64Data = data;

    private OnnxTensorProto(string name, long[] dims, OnnxDataType type, int count)
    {
        long size = dims.Aggregate(1L, (a, b) => a * b);
        if (size != count)
            throw new ArgumentException($"Tensor \"{name}\": {count} values do not fill the shape ({string.Join(", ", dims)}).");
        Name = name; Dims = dims; DataType = type;
    }

    /// <summary>The tensor's name (field 8).</summary>
    public string Name { get; }
    /// <summary>The shape (field 1).</summary>
    public long[] Dims { get; }
    /// <summary>The element type (field 2).</summary>
    public OnnxDataType DataType { get; }
    /// <summary>The values of a float tensor, row-major.</summary>
    public float[]? FloatData { get; }
    /// <summary>The values of an int64 tensor, row-major.</summary>
    public long[]? Int64Data { get; }

    internal void WriteTo(CodedOutputStream o)
    {
        foreach (var d in Dims) { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(d); }
        o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt32((int)DataType);
        ProtoWriter.String(o, 8, Name);
        ReadOnlySpan<byte> raw = FloatData is not null ? MemoryMarshal.AsBytes(FloatData.AsSpan()) : MemoryMarshal.AsBytes(Int64Data.AsSpan());
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian; big-endian hosts are not supported.");
        o.WriteTag(9, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(raw));
    }
}

/// <summary>An ONNX <c>ValueInfoProto</c> for a tensor: name, element type and shape (a dimension is a size or a symbolic name).</summary>
public sealed class OnnxValueInfoProto
{
    /// <summary>Describes a tensor value.</summary>
    public OnnxValueInfoProto(string name, OnnxDataType elemType, IEnumerable<OnnxDimension> shape)
    {
        Name = name; ElemType = elemType; Shape = shape.ToArray();
    }

    /// <summary>The value's name.</summary>
    public string Name { get; }
    /// <summary>The element type.</summary>
    public OnnxDataType ElemType { get; }
    /// <summary>The shape.</summary>
    public OnnxDimension[] Shape { get; }

    internal void WriteTo(CodedOutputStream o)
    {
        ProtoWriter.String(o, 1, Name);
        // TypeProto { tensor_type = 1: TypeProto.Tensor { elem_type = 1, shape = 2: TensorShapeProto { dim = 1 } } }
        ProtoWriter.Message(o, 2, type => ProtoWriter.Message(type, 1, tensor =>
        {
            tensor.WriteTag(1, WireFormat.WireType.Varint); tensor.WriteInt32((int)ElemType);
            ProtoWriter.Message(tensor, 2, shape =>
            {
                foreach (var d in Shape)
                    ProtoWriter.Message(shape, 1, dim =>
                    {
                        if (d.Param is { } p) ProtoWriter.String(dim, 2, p, always: true);
                        else { dim.WriteTag(1, WireFormat.WireType.Varint); dim.WriteInt64(d.Value); }
                    });
            });
        }));
    }
}

/// <summary>One dimension of a value's shape: a fixed size or a symbolic name (such as "N" for the batch).</summary>
public readonly record struct OnnxDimension(long Value, string? Param)
{
    /// <summary>A fixed size.</summary>
    public static OnnxDimension Fixed(long size) => new(size, null);
    /// <summary>A symbolic (unknown) size.</summary>
    public static OnnxDimension Symbolic(string name) => new(0, name);
}

/// <summary>The protobuf encoding helpers: a nested message is encoded to bytes first and written length-delimited.</summary>
internal static class ProtoWriter
{
    public static void String(CodedOutputStream o, int field, string value, bool always = false)
    {
        if (value.Length == 0 && !always) return;
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    public static void Int64(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }

    public static void Message(CodedOutputStream o, int field, Action<CodedOutputStream> body)
    {
        using var ms = new MemoryStream();
        var inner = new CodedOutputStream(ms, leaveOpen: true);
        body(inner);
        inner.Flush();
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(new ReadOnlyMemory<byte>(ms.GetBuffer(), 0, (int)ms.Length)));
    }
}
