/** "New Lead: John Smith": the name, else the email, else the phone (identity's display name). */
export function newLeadTitle(displayName: string): string {
  return `New Lead: ${displayName}`;
}

export function conversationUpdateTitle(displayName: string): string {
  return `Conversation Update: ${displayName}`;
}
