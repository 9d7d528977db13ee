/** AI answers: grounded steps from any OpenAI-compatible endpoint, redacted before sending. */
export { AiConversation, prepareRequest, describeFailure } from './assistant';
export type { AskInput, AskOptions, AiResult, PreparedRequest } from './assistant';
export { endpointFromEnv, endpointFromSettings, createClient, AI_OFF_MESSAGE } from './endpoint';
export type { AiEndpoint, EndpointResult } from './endpoint';
export { buildGrounding, locateStep, DEFAULT_GROUNDING_LIMITS } from './grounding';
export type { Grounding, GroundingLimits } from './grounding';
export { testConnection, detectOllama, OLLAMA_DEFAULT_URL } from './connection';
export { StepObjectScanner, extractJsonDocument } from './stream-steps';
export { answerToWalkthrough, toGuideSteps, toWalkthroughSteps, quotedLabel } from './walkthrough';
export { aiGuideFallbackFromEnv } from './guide-fallback';
export { AiService, AI_API_KEY_SECRET } from './service';
export type { AiAskContext, AiSnapshot, AiServiceOptions } from './service';
