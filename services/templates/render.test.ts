import { describe, expect, it } from 'vitest';
import { paragraphsOf, renderTemplate, templateVariables, textToHtml, TemplateVariableMissingError } from './render.js';

describe('renderTemplate', () => {
  const data = { office: { name: 'Smit & Zn <advies>' }, n: 3, list: ['a', 'b'], empty: '' };

  it('fills nested placeholders, with and without HTML escaping', () => {
    expect(renderTemplate('Kantoor: {{office.name}} ({{ n }})', data, { context: 'text' })).toBe('Kantoor: Smit & Zn <advies> (3)');
    expect(renderTemplate('<b>{{office.name}}</b>', data, { context: 'html' })).toBe('<b>Smit &amp; Zn &lt;advies&gt;</b>');
    expect(renderTemplate('{{list}}|{{empty}}', data, { context: 'text' })).toBe('a, b|');
  });

  it('a missing variable is a clear error', () => {
    expect(() => renderTemplate('Hallo {{recipient.firstName}}', data, { context: 'text', name: 'greeting' })).toThrow(TemplateVariableMissingError);
    expect(() => renderTemplate('Hallo {{recipient.firstName}}', data, { context: 'text', name: 'greeting' })).toThrow(
      'template "greeting": variable {{recipient.firstName}} has no value',
    );
    // an object is not a printable leaf; prototype properties are not variables
    expect(() => renderTemplate('{{office}}', data, { context: 'text' })).toThrow(TemplateVariableMissingError);
    expect(() => renderTemplate('{{office.constructor}}', data, { context: 'text' })).toThrow(TemplateVariableMissingError);
  });

  it('lists variables, splits paragraphs and makes HTML from text', () => {
    expect(templateVariables('{{a}} {{b.c}} {{a}}')).toEqual(['a', 'b.c']);
    expect(paragraphsOf('een\ntwee\n\n\ndrie\r\n\r\n')).toEqual(['een\ntwee', 'drie']);
    expect(textToHtml('a & b\nc')).toContain('<p>a &amp; b<br>c</p>');
  });
});
