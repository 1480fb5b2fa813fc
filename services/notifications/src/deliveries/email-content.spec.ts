import { escapeHtml, renderEmail } from './email-content';

describe('notification emails', () => {
  const body = {
    label: 'New Lead', name: 'John Smith', channel: 'webchat' as const, summary: 'Wants a <quote> for landscaping.',
    conversationUrl: 'https://app.example/conversations/c1', details: ['Linked to conversation c0'],
    contact: { firstName: 'John', lastName: 'Smith', emails: ['john@email.com'], phones: [], address: null },
  };

  it('has the subject, the contact, the summary and the link in text and HTML', () => {
    const email = renderEmail('New Lead: John Smith', body);
    expect(email.subject).toBe('New Lead from Web Chat: John Smith');
    expect(email.text).toContain('First name: John');
    expect(email.text).toContain('Email: john@email.com');
    expect(email.text).not.toContain('Phone:');
    expect(email.text).toContain('Summary: Wants a <quote> for landscaping.');
    expect(email.text).toContain('Open the conversation: https://app.example/conversations/c1');
    expect(email.text).toContain('Linked to conversation c0');
    expect(email.html).toContain('<a href="https://app.example/conversations/c1">');
    expect(email.html).toContain('Wants a &lt;quote&gt; for landscaping.');
  });

  it('escapes what could break the HTML', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
