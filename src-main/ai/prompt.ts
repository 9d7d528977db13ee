/** The messages sent to the model: instructions, the question, and the on-screen elements. */
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { GroundingElement } from '../../src-shared/ai';

/** The fixed instructions: answer only with steps pointing at element ids from the list. */
export const SYSTEM_PROMPT = [
  'You are Sidekick, a patient helper that guides a person through a task in the desktop application on their screen.',
  'You get the application name, the window title, their question, and the text elements visible on screen as JSON',
  '{"elements": [{"id": "e12", "text": "Wrap text", "box": [x, ' +
    'y, w, h]}]} (box in screenshot pixels, origin top-left).',
  'Answer ONLY with JSON of the form {"steps": [{"instruction": "...", "elementId": "e12"}]}:',
  '- one short imperative instruction per step (what to click, type or choose), in order, at most 12 steps;',
  '- elementId is the id of the on-screen element the step acts on, copied exactly from the list;',
  '- use null when the control is not in the list yet (e.g. it appears after an earlier step opens a menu or dialog),',
  '  and then name the control in the instruction in double quotes, exactly as it will be labelled;',
  '- never invent ids; text like [email] or [card] marks redacted private data.',
  'No prose, no markdown, only the JSON object.',
].join('\n');

/** What one request is about. */
export interface AskContext {
  app: string;
  title: string;
  question: string;
  elements: GroundingElement[];
  /** PNG data URL of the redacted screenshot, for vision-capable models. */
  imageDataUrl?: string | null;
}

/** The user turn: the question as text, the elements as JSON, and optionally the image. */
export function userMessages(context: AskContext): ChatCompletionMessageParam[] {
  const intro =
    `Application: ${context.app || 'unknown'}\nWindow title: ` +
    `${context.title || 'unknown'}\nQuestion: ${context.question}`;
  const elements = JSON.stringify({ elements: context.elements });
  const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: intro }];
  if (context.imageDataUrl) {
    const parts: ChatCompletionContentPart[] = [
      { type: 'text', text: elements },
      { type: 'image_url', image_url: { url: context.imageDataUrl, detail: 'high' } },
    ];
    messages.push({ role: 'user', content: parts });
  } else {
    messages.push({ role: 'user', content: elements });
  }
  return messages;
}

/** The follow-up turn asking the model to fix a malformed answer, once. */
export function repairMessage(problem: string): ChatCompletionMessageParam {
  return {
    role: 'user',
    content:
      `Your answer could not be used: ${problem}. Answer again with ONLY the JSON object {"steps": [{"instruction": ` +
      `"...", "elementId": "<id from the elements list or null>"}]}, using only ids from the elements list.`,
  };
}
