/** Live team state for the console: the request queue and chats, kept current by the team stream. */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  type ChatMessage,
  type HelpRequest,
  newClientId,
  type Pointer,
  type StreamStatus,
  TeamStream,
  type WebSocketLike,
} from '../../src-shared/team';
import type { ConsoleApi } from './console-api';

/** What the console shows, updated live. */
export interface TeamLive {
  status: StreamStatus;
  statusDetail: string;
  requests: HelpRequest[];
  /** Messages per request id, ordered by seq, each id once. */
  messages: Record<string, ChatMessage[]>;
  loadMessages: (requestId: string) => Promise<void>;
  sendText(requestId: string, text: string): Promise<void>;
  sendPointer(requestId: string, pointer: Pointer, text?: string): Promise<void>;
  /** Sends a team library item (walkthrough or tip) into the chat. */
  sendLibrary(requestId: string, itemId: string): Promise<void>;
  upsertRequest(request: HelpRequest): void;
}

function mergeMessages(existing: ChatMessage[] | undefined, incoming: ChatMessage[]): ChatMessage[] {
  const byId = new Map((existing ?? []).map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Subscribes to the team stream with the given token. */
export function useTeamLive(api: ConsoleApi, token: string): TeamLive {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [statusDetail, setStatusDetail] = useState('');
  const [requests, setRequests] = useState<Map<string, HelpRequest>>(new Map());
  const [messages, setMessages] = useState<Record<string, ChatMessage[]>>({});
  const streamRef = useRef<TeamStream | null>(null);

  const upsertRequest = useCallback((request: HelpRequest) => {
    setRequests((current) => {
      const previous = current.get(request.id);
      if (previous && previous.updatedAt > request.updatedAt) return current;
      const next = new Map(current);
      next.set(request.id, request);
      return next;
    });
  }, []);

  const addMessages = useCallback((requestId: string, incoming: ChatMessage[]) => {
    setMessages((current) => ({ ...current, [requestId]: mergeMessages(current[requestId], incoming) }));
  }, []);

  useEffect(() => {
    let stream: TeamStream | null = null;
    let cancelled = false;
    void api.requests().then(
      (list) => {
        if (cancelled) return;
        setRequests(new Map(list.requests.map((request) => [request.id, request])));
        stream = new TeamStream({
          serverUrl: location.origin,
          token,
          afterSeq: list.seq,
          createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
          onStatus: (next, detail) => {
            setStatus(next);
            setStatusDetail(detail);
          },
          onEvent: (event) => {
            if (event.type === 'request') upsertRequest(event.request);
            if (event.type === 'message') addMessages(event.message.requestId, [event.message]);
          },
        });
        streamRef.current = stream;
        stream.start();
      },
      (error: Error) => {
        setStatus('offline');
        setStatusDetail(error.message);
      },
    );
    return () => {
      cancelled = true;
      stream?.stop();
    };
  }, [api, token, upsertRequest, addMessages]);

  const loadMessages = useCallback(
    async (requestId: string) => {
      const list = await api.messages(requestId);
      addMessages(requestId, list.messages);
    },
    [api, addMessages],
  );

  const sendText = useCallback(
    async (requestId: string, text: string) => {
      const stream = streamRef.current;
      if (!stream) throw new Error('not connected yet');
      const message = await stream.send(requestId, { clientId: newClientId(), kind: 'text', text });
      addMessages(requestId, [message]);
    },
    [addMessages],
  );

  const sendPointer = useCallback(
    async (requestId: string, pointer: Pointer, text?: string) => {
      const stream = streamRef.current;
      if (!stream) throw new Error('not connected yet');
      const message = await stream.send(requestId, {
        clientId: newClientId(),
        kind: 'pointer',
        pointer,
        ...(text ? { text } : {}),
      });
      addMessages(requestId, [message]);
    },
    [addMessages],
  );

  const sendLibrary = useCallback(
    async (requestId: string, itemId: string) => {
      const stream = streamRef.current;
      if (!stream) throw new Error('not connected yet');
      const message = await stream.send(requestId, { clientId: newClientId(), kind: 'library', itemId });
      addMessages(requestId, [message]);
    },
    [addMessages],
  );

  const sorted = [...requests.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  return {
    status,
    statusDetail,
    requests: sorted,
    messages,
    loadMessages,
    sendText,
    sendPointer,
    sendLibrary,
    upsertRequest,
  };
}
