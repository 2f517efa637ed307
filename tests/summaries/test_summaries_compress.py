"""The offline TL;DR says the contribution in the reference summaries' own shape ("X, a
framework, improves Y …"): words that carry nothing are dropped, the sentence still reads.

Each rewrite has a sentence from the recorded corpus (paper id in the comment) where it fires,
and one where it must not.
"""

from __future__ import annotations

from bot.summaries.extractive import extractive_tldr

# --- "X, a framework that improves Y" → "X, a framework, improves Y" ----------------------


def test_a_relative_clause_after_the_name_becomes_the_claim() -> None:
    # 2510.08483
    abstract = (
        "To address this critical efficiency bottleneck, we propose DeepPrune, a novel framework "
        "that enables efficient parallel scaling through dynamic pruning."
    )
    out = extractive_tldr(abstract, "DeepPrune: Parallel Scaling without Inter-trace Redundancy")
    assert out == (
        "DeepPrune, a novel framework, enables efficient parallel scaling through dynamic pruning."
    )


def test_which_after_the_bare_name_becomes_the_claim() -> None:
    # 2509.09174
    abstract = (
        "To address this issue, we propose EchoX, which leverages semantic representations and "
        "dynamically generates speech training targets."
    )
    out = extractive_tldr(abstract, "EchoX: Towards Mitigating Acoustic-Semantic Gap")
    assert out.startswith("EchoX leverages semantic representations and dynamically generates")


def test_the_claim_keeps_its_adverb_and_the_name_its_acronym() -> None:
    # 2505.24298, 2512.04926
    out = extractive_tldr(
        "We present AReaL, a fully asynchronous RL system that completely decouples generation "
        "from training.",
        "AReaL: A Large-Scale Asynchronous Reinforcement Learning System",
    )
    assert out == (
        "AReaL, a fully asynchronous RL system, completely decouples generation from training."
    )
    out = extractive_tldr(
        "Observing these, we propose Semantic-First Diffusion (SFD), a latent diffusion paradigm "
        "that explicitly prioritizes semantic formation.",
        "Semantics Lead the Way",
    )
    assert out == (
        "Semantic-First Diffusion (SFD), a latent diffusion paradigm, explicitly prioritizes "
        "semantic formation."
    )
    # "apply" ends in "ly" but is the verb: "tools that apply patches" stays as it is.
    out = extractive_tldr("We present PatchKit, a set of tools that apply patches to kernels.", "")
    assert out == "PatchKit, a set of tools that apply patches to kernels."


def test_a_relative_clause_is_kept_when_the_sentence_goes_on_with_the_authors_verb() -> None:
    # 2508.13142: "… tasks that unifies … and discuss …" — "discuss" is the authors' verb.
    abstract = (
        "First, we propose a comprehensive taxonomy of spatial tasks that unifies existing "
        "benchmarks and discuss the challenges in ensuring fair evaluation."
    )
    out = extractive_tldr(abstract, "Has GPT-5 Achieved Spatial Intelligence?")
    assert out.startswith("A comprehensive taxonomy of spatial tasks that unifies")


def test_a_relative_clause_is_kept_when_its_verb_reads_as_a_noun_or_disagrees() -> None:
    # 2505.14302: "QAT models quantization error" would read as a noun phrase.
    abstract = (
        "This paper proposes a unified scaling law for QAT that models quantization error as a "
        "function of model size, training data volume, and quantization group size."
    )
    out = extractive_tldr(abstract, "Scaling Law for Quantization-Aware Training")
    assert out.startswith("A unified scaling law for QAT that models quantization error")
    # Plural verb: "that" belongs to "tasks", not to the benchmark.
    out = extractive_tldr("We introduce GridBench, a benchmark of tasks that require planning.", "")
    assert out == "GridBench, a benchmark of tasks that require planning."


def test_a_relative_clause_is_kept_when_the_sentence_is_a_finding_not_a_name() -> None:
    abstract = (
        "We show that a model that uses retrieval answers long-tail questions more accurately."
    )
    out = extractive_tldr(abstract, "")
    assert out.startswith("A model that uses retrieval answers")


# --- "a model designed for X" → "a model for X" -------------------------------------------


def test_designed_for_is_dropped_from_the_noun_phrase() -> None:
    # 2509.14977
    abstract = (
        "To address these limitations, we propose EchoVLM, a vision-language model specifically "
        "designed for ultrasound medical imaging."
    )
    out = extractive_tldr(abstract, "EchoVLM: Dynamic Mixture-of-Experts Vision-Language Model")
    assert out == "EchoVLM, a vision-language model for ultrasound medical imaging."


def test_designed_is_kept_after_a_verb_and_tailored_to_is_kept() -> None:
    # 2506.22992: "is designed to" is the sentence's verb.
    abstract = (
        "Here, we present MARBLE, a challenging multimodal reasoning benchmark that is designed "
        "to scrutinize multimodal language models (MLLMs) in their ability to reason."
    )
    out = extractive_tldr(abstract, "MARBLE: A Hard Benchmark for Multimodal Spatial Reasoning")
    assert out.startswith("MARBLE, a challenging multimodal reasoning benchmark, is designed to")
    # 2510.11062: "tailored to MAS" means "for MAS"; "an algorithm to MAS" would not read.
    abstract = (
        "We propose AT-GRPO, which includes (i) an agent- and turn-wise grouped RL algorithm "
        "tailored to MAS and (ii) a training system."
    )
    assert "algorithm tailored to MAS" in extractive_tldr(abstract, "Stronger Together")
    # 2509.16941: "is explicitly designed to" is the verb with its adverb, not "is explicitly to".
    abstract = (
        "We introduce SWE-Bench Pro, a substantially more challenging benchmark that builds upon "
        "the best practices of SWE-BENCH, but is explicitly designed to capture realistic, "
        "complex, enterprise-level problems."
    )
    assert "is explicitly designed to capture" in extractive_tldr(abstract, "SWE-Bench Pro")


# --- "X, the first benchmark for Y" → "X, a benchmark for Y" ------------------------------


def test_the_first_in_the_names_apposition_becomes_a() -> None:
    # 2505.22126 (its abstract says "a" elsewhere: "in a controllable, intelligent manner")
    abstract = (
        "Automating it in a controllable, intelligent manner would provide substantial practical "
        "value. To fill this gap, we introduce SridBench, the first benchmark for scientific "
        "figure generation."
    )
    out = extractive_tldr(abstract, "SridBench: Benchmark of Scientific Research Illustration")
    assert out == "SridBench, a benchmark for scientific figure generation."


def test_the_first_stays_where_it_is_not_an_apposition_or_the_article_is_unclear() -> None:
    # 2508.00477: "for the first time" is not a priority claim on a noun.
    abstract = (
        "We present LAMIC, a Layout-Aware Multi-Image Composition framework that, for the first "
        "time, extends single-reference diffusion models to multi-reference scenarios."
    )
    assert "for the first time" in extractive_tldr(abstract, "LAMIC: Layout-Aware Composition")
    # 2511.15700: "the first frame" is a frame, not a claim.
    abstract = (
        "In this work, we reveal a fundamentally different perspective: video models implicitly "
        "treat the first frame as a conceptual memory buffer."
    )
    assert "treat the first frame as a" in extractive_tldr(abstract, "First Frame Is the Place")
    # 2509.14476: "a unified" or "an unified"? The spelling does not say; keep the source's.
    abstract = (
        "We present AToken, the first unified visual tokenizer that achieves both high-fidelity "
        "reconstruction and semantic understanding across images, videos, and 3D assets in a "
        "shared 4D latent space."
    )
    assert extractive_tldr(abstract, "AToken: A Unified Tokenizer for Vision").startswith(
        "AToken, the first unified visual tokenizer, achieves"
    )
    # A sentence's own subject: "the first stage" is a stage, not a claim.
    abstract = "The first stage trains a tokenizer on images and videos with a masked objective."
    assert extractive_tldr(abstract, "").startswith("The first stage trains a tokenizer")
    # An article the abstract never uses is not introduced (a TL;DR uses the source's words).
    out = extractive_tldr("We introduce SridBench, the first benchmark for figure generation.", "")
    assert out == "SridBench, the first benchmark for figure generation."


# --- "a simple yet effective approach" → "an approach" ------------------------------------


def test_simple_yet_effective_is_dropped_with_the_article_agreeing() -> None:
    # 2510.03204, with a sentence of its abstract that says "an"
    abstract = (
        "We introduce FocusAgent, a simple yet effective approach that leverages a lightweight "
        "LLM retriever to extract the most relevant lines from accessibility tree observations. "
        "Pruning is an attack surface too."
    )
    out = extractive_tldr(abstract, "FocusAgent: Simple Yet Effective Ways of Trimming")
    assert out.startswith("FocusAgent, an approach, leverages a lightweight LLM retriever")
    # Without "an" in the abstract the praise stays rather than read "a approach".
    out = extractive_tldr(abstract.replace(" an attack", " the attack"), "FocusAgent: Trimming")
    assert out.startswith("FocusAgent, a simple yet effective approach, leverages")


# --- "We address this limitation by presenting X, …" → "X, …" -----------------------------


def test_the_problem_sentence_lead_in_goes_when_it_introduces_the_method() -> None:
    # 2510.08143 ("unified": the article is unclear, so "the first" stays)
    abstract = (
        "We address this limitation by presenting UniMMVSR, the first unified generative video "
        "super-resolution framework to incorporate hybrid-modal conditions."
    )
    out = extractive_tldr(abstract, "UniMMVSR: A Unified Multi-Modal Framework")
    assert out == (
        "UniMMVSR, the first unified generative video super-resolution framework to incorporate "
        "hybrid-modal conditions."
    )
    # "by introducing" after a verb that is not about a problem is the method's own mechanism.
    abstract = "We improve the accuracy of detectors by introducing noise to the training labels."
    assert extractive_tldr(abstract, "").startswith("We improve the accuracy of detectors")


def test_to_our_knowledge_goes_with_the_lead_in() -> None:
    # 2510.04016, with a sentence that says "a"
    abstract = (
        "We present, to our knowledge, the first systematic study of Thai text-only end-of-turn "
        "detection for real-time agents. It runs on a CPU."
    )
    out = extractive_tldr(abstract, "")
    assert out.startswith("A systematic study of Thai text-only end-of-turn detection")


# --- the added result sentence: "Experiments validate that our X improves …" → "The X improves …"


def test_the_result_sentence_is_said_as_the_result() -> None:
    # 2509.21953 (its contribution sentence, the one after and the last)
    abstract = (
        "To address this, we propose MultiCrafter, a framework that ensures high-fidelity, "
        "preference-aligned generation. First, we find that the root cause of attribute leakage "
        "is an entanglement of attention between different subjects. Experiments validate that "
        "our framework significantly improves subject fidelity while aligning with human "
        "preferences better."
    )
    out = extractive_tldr(abstract, "MultiCrafter: High-Fidelity Multi-Subject Generation")
    assert out == (
        "MultiCrafter, a framework, ensures high-fidelity, preference-aligned generation. The "
        "framework significantly improves subject fidelity while aligning with human preferences "
        "better."
    )


def test_a_result_sentence_without_an_evidence_lead_in_is_kept_whole() -> None:
    abstract = (
        "We propose GridNet, a planner for warehouse robots. Experiments on tasks that need long "
        "plans show gains of 12% over baselines."
    )
    out = extractive_tldr(abstract, "GridNet: Planning")
    assert out.endswith(
        " Experiments on tasks that need long plans show gains of 12% over baselines."
    )


# --- "improves both X and Y" → "improves X and Y" -----------------------------------------


def test_both_before_a_pair_is_dropped_but_not_both_of() -> None:
    # 2508.15260 (with a sentence of its abstract that says "a")
    abstract = (
        "To address these challenges, we introduce Deep Think with Confidence (DeepConf), a "
        "simple yet powerful method that enhances both reasoning efficiency and performance at "
        "test time. It needs no training."
    )
    out = extractive_tldr(abstract, "Deep Think with Confidence")
    assert out.startswith(
        "Deep Think with Confidence (DeepConf), a method, enhances reasoning efficiency and "
        "performance at test time."
    )
    out = extractive_tldr("We propose TwinNet, which trains both of its towers and a head.", "")
    assert out == "TwinNet trains both of its towers and a head."
