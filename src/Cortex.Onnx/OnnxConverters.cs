using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Onnx.Converters;

namespace Cortex.Onnx;

/// <summary>
/// The registry of ONNX converters, keyed by layer type. A layer is converted by the converter of its own type or,
/// failing that, of its nearest base type (so one converter serves e.g. every <see cref="BasePooling"/>).
/// New layer types (recurrent layers, custom layers) plug in with <see cref="Register{TLayer}"/>.
/// </summary>
public static class OnnxConverters
{
    private static readonly object Lock = new();
    private static readonly Dictionary<Type, IOnnxLayerConverter> Registry = new();

    static OnnxConverters()
    {
        Register<InputLayer>(new IdentityConverter());
        Register<Dropout>(new IdentityConverter());
        Register<SpatialDropoutBase>(new IdentityConverter());
        Register<GaussianDropout>(new IdentityConverter());
        Register<GaussianNoise>(new IdentityConverter());
        Register<Dense>(new DenseConverter());
        Register<Activation>(new ActivationConverter());
        Register<ReLU>(new ReLUConverter());
        Register<ELU>(new ELUConverter());
        Register<LeakyReLU>(new LeakyReLUConverter());
        Register<PReLU>(new PReLUConverter());
        Register<Softmax>(new SoftmaxConverter());
        Register<ThresholdedReLU>(new ThresholdedReLUConverter());
        Register<Conv1D>(new ConvConverter());
        Register<Conv2D>(new ConvConverter());
        Register<BasePooling>(new PoolingConverter());
        Register<BaseGlobalPooling>(new GlobalPoolingConverter());
        Register<BatchNormalization>(new BatchNormalizationConverter());
        Register<Flatten>(new FlattenConverter());
        Register<Reshape>(new ReshapeConverter());
        Register<Permute>(new PermuteConverter());
        Register<ZeroPadding1D>(new ZeroPadding1DConverter());
        Register<ZeroPadding2D>(new ZeroPadding2DConverter());
        Register<Cropping1D>(new Cropping1DConverter());
        Register<Cropping2D>(new Cropping2DConverter());
        Register<UpSampling1D>(new UpSampling1DConverter());
        Register<UpSampling2D>(new UpSampling2DConverter());
        Register<Add>(new MergeConverter());
        Register<Subtract>(new MergeConverter());
        Register<Multiply>(new MergeConverter());
        Register<Maximum>(new MergeConverter());
        Register<Minimum>(new MergeConverter());
        Register<Average>(new MergeConverter());
        Register<Concatenate>(new ConcatenateConverter());
        Register<BaseRNN>(new RecurrentConverter());
        Register<Bidirectional>(new BidirectionalConverter());
        Register<Embedding>(new EmbeddingConverter());
        Register<Masking>(new MaskingConverter());
        Register<RepeatVector>(new RepeatVectorConverter());
        Register<TimeDistributed>(new TimeDistributedConverter());
        Register<Sequential>(new NestedModelConverter());
        Register<Functional>(new NestedModelConverter());
    }

    /// <summary>Registers (or replaces) the converter of <typeparamref name="TLayer"/> and its subclasses without one of their own.</summary>
    public static void Register<TLayer>(IOnnxLayerConverter converter) where TLayer : Layer => Register(typeof(TLayer), converter);

    /// <summary>Registers (or replaces) the converter of <paramref name="layerType"/>.</summary>
    public static void Register(Type layerType, IOnnxLayerConverter converter)
    {
        ArgumentNullException.ThrowIfNull(layerType);
        ArgumentNullException.ThrowIfNull(converter);
        if (!typeof(Layer).IsAssignableFrom(layerType))
            throw new ArgumentException($"{layerType.Name} is not a Layer type.", nameof(layerType));
        lock (Lock) Registry[layerType] = converter;
    }

    /// <summary>The converter for <paramref name="layerType"/>: its own, or its nearest base type's; null when there is none.</summary>
    public static IOnnxLayerConverter? Find(Type layerType)
    {
        lock (Lock)
        {
            for (var t = layerType; t is not null && t != typeof(object); t = t.BaseType)
                if (Registry.TryGetValue(t, out var c)) return c;
            return null;
        }
    }

    /// <summary>The layer types with a registered converter.</summary>
    public static IReadOnlyList<Type> SupportedLayerTypes { get { lock (Lock) return Registry.Keys.ToList(); } }
}
