import { Body, Controller, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PublicEndpoint } from './actor.decorator';
import { createServiceApp } from './service-app';

@Controller('echo')
class EchoController {
  @Post()
  @PublicEndpoint()
  echo(@Body() body: unknown) {
    return { got: body ?? null };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('request hygiene', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await createServiceApp(EchoModule, { serviceName: 'test', logLevel: 'silent' });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each(['application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'image/png', 'text/plain'])(
    'answers a body of type %s 415', async (type) => {
      const response = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': type }, body: '{"a":1}' });
      expect([response.status, await response.text()]).toEqual([415, expect.any(String)]);
    });

  it.each(['gzip', 'br', 'deflate', 'x-anything'])('answers a body with Content-Encoding %s 415 (nothing decompresses it)', async (coding) => {
    const response = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': coding }, body: '{"a":1}' });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ message: `Content-Encoding ${coding} is not supported: send the body uncompressed` });
  });

  it('takes UTF-8 JSON', async () => {
    const response = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: '{"a":"é"}' });
    expect([response.status, await response.json()]).toEqual([201, { got: { a: 'é' } }]);
  });

  it.each([
    ['a body string', '{"a":"x\\u0000y"}', 'body.a'],
    ['a nested body string', '{"a":[{"b":"\\u0000"}]}', 'body.a.0.b'],
    ['a body key', '{"a\\u0000":1}', 'body.a\u0000'],
  ])('answers NUL in %s 400 naming the field', async (_, body, field) => {
    const response = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { fields: { field: string }[] }).fields[0]!.field).toBe(field);
  });

  it('answers NUL in the URL 400', async () => {
    expect((await fetch(`${url}/echo/%00`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${url}/echo?q=%00`, { method: 'POST' })).status).toBe(400);
  });

  it('answers a body nested deeper than 32 levels 400, and takes one of 32', async () => {
    const nest = (depth: number): unknown => (depth === 0 ? 'x' : { a: nest(depth - 1) });
    const send = (body: unknown) => fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await send(nest(31))).status).toBe(201);
    const deep = await send(nest(200));
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { fields: { reason: string }[] }).fields[0]!.reason).toMatch(/deeper than 32/);
  });
});
